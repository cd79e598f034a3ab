import type { InvokeOptions, Channel } from './core.js';

/**
 * What a mocked command receives: the page's arguments, read by key as the C++ handler reads
 * them — or, for `invoke(cmd, bytes)`, the raw body itself (an ArrayBuffer or a view).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type MockArgs = Record<string, any>;

export interface MockIPCOptions {
  /** emit() also reaches this page's listeners (and emitTo() does, to the mocked current window). */
  shouldMockEvents?: boolean;
}

/**
 * Answers every invoke with `handler(cmd, args, options)`: what it returns (or resolves with)
 * is the result, what it throws (or rejects with) the error, as it is. Event operations reach
 * it as `plugin:event|listen`, `|unlisten`, `|emit` and `|emit_to`.
 */
export function mockIPC(
  handler: (cmd: string, args: MockArgs, options: InvokeOptions) => unknown,
  options?: MockIPCOptions,
): void;

/** Makes this page the window `current`, among `additional` others. */
export function mockWindows(current: string, ...additional: string[]): void;

/** Removes the mocks. */
export function clearMocks(): void;

/** Sends a frame to a channel passed in a mocked invoke's args, in order, after the handler returns. */
export function sendToChannel<T>(channel: Channel<T>, data: T): void;

/** Closes a channel after the frames sent before: `onclose` runs and `closed` resolves. */
export function closeChannel<T>(channel: Channel<T>): void;
