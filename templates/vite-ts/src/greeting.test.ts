// A unit test of the frontend against a mocked backend: no webview, no C++ (`npm test`).
import { afterEach, expect, test } from 'vitest';
import { IpcError } from '@myapp/api';
import { clearMocks, mockIPC } from '@myapp/api/mocks';
import { events, type Greeted } from './bindings';
import { greeting } from './greeting';

afterEach(() => clearMocks());

test('greets through the greet command', async () => {
  mockIPC((cmd, args) => (cmd === 'greet' ? `Hello, ${args.name}!` : undefined));
  expect(await greeting('Ada')).toBe('Hello, Ada!');
});

test("shows the command's error", async () => {
  mockIPC(() => {
    throw new IpcError('greet.empty_name', 'Tell me your name first.');
  });
  expect(await greeting('')).toBe('greet.empty_name: Tell me your name first.');
});

test('hears the greeted event C++ sends after each greeting', async () => {
  // The mocked greet does what main.cpp's does: emits `greeted`, then answers.
  let count = 0;
  mockIPC(async (cmd, args) => {
    if (cmd !== 'greet') return undefined;
    await events.emit('greeted', { name: args.name, count: ++count });
    return `Hello, ${args.name}!`;
  }, { shouldMockEvents: true });
  const heard: Greeted[] = [];
  const unlisten = await events.listen('greeted', (e) => heard.push(e.payload));
  await greeting('Ada');
  await greeting('Grace');
  unlisten();
  await greeting('Linus');
  expect(heard).toEqual([{ name: 'Ada', count: 1 }, { name: 'Grace', count: 2 }]);
});
