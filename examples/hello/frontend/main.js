// The JS client is injected into every myapp page as window.__MYAPP__
// (bundler users: import { invoke } from '@myapp/api').
const { invoke, IpcError } = window.__MYAPP__;

const $ = (id) => document.getElementById(id);

$('greet-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  try {
    $('greeting').textContent = await invoke('greet', { name: $('name').value });
  } catch (e) {
    $('greeting').textContent = e instanceof IpcError ? `${e.code}: ${e.message}` : String(e);
  }
});

$('fail').addEventListener('click', async () => {
  try {
    await invoke('fail');
  } catch (e) {
    $('error').textContent = `${e.code}: ${e.message}`;
  }
});
