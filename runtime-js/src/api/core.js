// @myapp/api/core — calling C++ commands: invoke(), Channel, IpcError (the shapes of
// @tauri-apps/api/core). Served to app pages as /__myapp/api/core.js.
import { IpcError, injected, forward, channelFeeds, unavailable } from './internals.js';

export { IpcError };

/**
 * Calls the command `cmd` on the C++ side with `args` (a plain object). Resolves with its result;
 * rejects with an IpcError. Options: `headers` (strings, reaching the handler's request) and
 * `signal` (an AbortSignal that cancels the call).
 */
export const invoke = forward('invoke');

/** Resolves with `{label, version}` once the C++ side has answered the handshake. */
export const ready = injected() ? injected().ready : Promise.reject(unavailable());
ready.catch(() => {}); // unobserved, it must not be reported as an unhandled rejection

/** True in a page of a myapp webview. */
export function isMyapp() {
  return injected() !== undefined;
}

/** The same as {@link isMyapp}, under the name code written for Tauri uses. */
export const isTauri = isMyapp;

let nextChannelId = 1;

// Outside a myapp webview (Node, a plain browser), a channel is fed by the mock backend
// (./mocks.js), which finds how to feed one in `channelFeeds`.
class DetachedChannel {
  #id;
  #closed;
  constructor(onmessage) {
    if (onmessage != null && typeof onmessage !== 'function') {
      throw new IpcError('args.invalid', 'new Channel(): onmessage must be a function, got ' + typeof onmessage);
    }
    this.onmessage = onmessage || null;
    this.onclose = null;
    this.#id = nextChannelId++;
    let resolve;
    this.#closed = new Promise((r) => { resolve = r; });
    channelFeeds.set(this, { end: resolve });
  }
  get id() { return this.#id; }
  get closed() { return this.#closed; }
  toJSON() { return { $channel: this.#id }; }
}

/**
 * A stream of frames from a C++ command: pass it (anywhere) inside an invoke's args. In a myapp
 * webview it is the injected client's class (`__MYAPP__.Channel`).
 */
export const Channel = injected() ? injected().Channel : DetachedChannel;
