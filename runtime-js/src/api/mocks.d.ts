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

export interface FromRecordingOptions {
  /**
   * How an invoke finds its recorded call: `'args'` the first unused one of the command with
   * the same arguments; `'order'` the next unused one of the command; `'args-then-order'` (the
   * default) the first, else the second.
   */
  match?: 'args' | 'order' | 'args-then-order';
}

/**
 * A mockIPC() handler answering from a recording made with MYAPP_RECORD=FILE (the text of the
 * file, or its lines parsed): each invoke gets the answer the real backend gave, channels in
 * its arguments get the recorded frames. See docs/recording.md.
 */
export function fromRecording(
  recording: string | object[],
  options?: FromRecordingOptions,
): (cmd: string, args: MockArgs, options: InvokeOptions) => unknown;
