import { IpcError } from '@myapp/api';
import { commands } from './bindings';
import './style.css';

const input = document.querySelector<HTMLInputElement>('#greet-input')!;
const message = document.querySelector<HTMLParagraphElement>('#greet-msg')!;

document.querySelector('#greet-form')!.addEventListener('submit', async (event) => {
  event.preventDefault();
  try {
    message.textContent = await commands.greet({ name: input.value });
  } catch (e) {
    message.textContent = e instanceof IpcError ? `${e.code}: ${e.message}` : String(e);
  }
});
