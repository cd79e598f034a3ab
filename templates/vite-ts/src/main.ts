import { events } from './bindings';
import { greeting } from './greeting';
import './style.css';

const input = document.querySelector<HTMLInputElement>('#greet-input')!;
const message = document.querySelector<HTMLParagraphElement>('#greet-msg')!;
const count = document.querySelector<HTMLParagraphElement>('#greet-count')!;

document.querySelector('#greet-form')!.addEventListener('submit', async (event) => {
  event.preventDefault();
  message.textContent = await greeting(input.value);
});

// C++ sends `greeted` (declared in main.cpp) after each greeting.
void events.listen('greeted', (e) => {
  count.textContent = `Greetings so far: ${e.payload.count}`;
});
