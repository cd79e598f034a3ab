// @vitest-environment happy-dom
// The App component against a mocked backend, in a simulated DOM: no webview, no C++.
import { afterEach, expect, test, vi } from 'vitest';
import { mount, unmount } from 'svelte';
import { clearMocks, mockIPC } from '@myapp/api/mocks';
import { events } from './bindings';
import App from './App.svelte';

afterEach(() => {
  clearMocks();
  document.body.innerHTML = '';
});

test('greets through the greet command and shows the count the greeted event brings', async () => {
  let count = 0;
  let listening!: () => void;
  const listens = new Promise<void>((resolve) => (listening = resolve));
  mockIPC(async (cmd, args) => {
    // Event operations reach the handler too: the component starts listening to `greeted`
    // (resolved on the next turn, when its listener is in place).
    if (cmd === 'plugin:event|listen' && args.event === 'greeted') setTimeout(listening);
    if (cmd !== 'greet') return undefined;
    await events.emit('greeted', { name: args.name, count: ++count });
    return `Hello, ${args.name}!`;
  }, { shouldMockEvents: true });
  const container = document.body.appendChild(document.createElement('div'));
  const app = mount(App, { target: container });
  await listens;

  const input = container.querySelector<HTMLInputElement>('#greet-input')!;
  input.value = 'Ada';
  input.dispatchEvent(new Event('input'));
  container.querySelector('form')!.requestSubmit();
  await vi.waitFor(() => {
    expect(container.querySelector('#greet-msg')!.textContent).toBe('Hello, Ada!');
    expect(container.querySelector('#greet-count')!.textContent).toBe('Greetings so far: 1');
  });
  await unmount(app);
});
