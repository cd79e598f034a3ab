// A unit test of the frontend against a mocked backend: no webview, no C++ (`npm test`).
import { afterEach, expect, test } from 'vitest';
import { IpcError } from '@myapp/api';
import { clearMocks, mockIPC } from '@myapp/api/mocks';
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
