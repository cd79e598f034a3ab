// The myapp client is injected into every page as window.__MYAPP__.
const { invoke, listen } = window.__MYAPP__;

const input = document.querySelector('#greet-input');
const message = document.querySelector('#greet-msg');
const count = document.querySelector('#greet-count');

document.querySelector('#greet-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  try {
    message.textContent = await invoke('greet', { name: input.value });
  } catch (e) {
    message.textContent = `${e.code}: ${e.message}`;
  }
});

// C++ sends the `greeted` event (main.cpp) after each greeting.
listen('greeted', (e) => {
  count.textContent = `Greetings so far: ${e.payload.count}`;
});
