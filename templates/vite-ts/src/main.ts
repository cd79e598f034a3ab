import { greeting } from './greeting';
import './style.css';

const input = document.querySelector<HTMLInputElement>('#greet-input')!;
const message = document.querySelector<HTMLParagraphElement>('#greet-msg')!;

document.querySelector('#greet-form')!.addEventListener('submit', async (event) => {
  event.preventDefault();
  message.textContent = await greeting(input.value);
});
