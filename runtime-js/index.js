// @myapp/api — ES module entry for bundled front ends.
//
// The real client is a classic script (the parts src/client.list names, joined in its order),
// which the myapp webview injects into every page as the global `__MYAPP__` before any page
// script runs. This module only
// forwards to it, so a bundle and inline scripts share one connection, one id counter, one
// set of listeners and one IpcError class.

const injected = globalThis.__MYAPP__;

const MISSING = 'window.__MYAPP__ is missing: this page is not running inside a myapp webview';

/**
 * The error every failed call rejects with. When the injected client is present this is the
 * very same class as `__MYAPP__.IpcError`, so `instanceof` works for errors from either side.
 */
export const IpcError = injected ? injected.IpcError : class IpcError extends Error {
  constructor(code, message, data) {
    super(message);
    this.code = code;
    this.data = data;
  }
  get name() { return 'IpcError'; }
};

function api() {
  const a = globalThis.__MYAPP__;
  if (!a) throw new IpcError('bridge.unavailable', MISSING);
  return a;
}

// Looks `__MYAPP__` up at call time and never throws synchronously: a missing bridge is
// reported as a rejected promise.
const forward = (name) => Object.defineProperty((...a) => {
  try {
    return api()[name](...a);
  } catch (e) {
    return Promise.reject(e);
  }
}, 'name', { value: name });

/** Calls the command `cmd` on the C++ side. Resolves with its result, rejects with an IpcError. */
export const invoke = forward('invoke');

/** Calls `handler` with `{event, id, payload}` for every event named `event`; resolves with an unlisten function. */
export const listen = forward('listen');

/** Like {@link listen}, but unlistens after the first event. */
export const once = forward('once');

/** Sends an event to every listener: C++ ones and every page listening, this one included. */
export const emit = forward('emit');

/** Sends an event to the C++ listeners and to the pages of the webview labelled `target`. */
export const emitTo = forward('emitTo');

/**
 * A stream of frames from a C++ command: pass it inside an invoke's args. The very same class
 * as `__MYAPP__.Channel`; outside a myapp webview its constructor throws a bridge.unavailable
 * IpcError.
 */
export const Channel = injected ? injected.Channel : class Channel {
  constructor() {
    throw new IpcError('bridge.unavailable', MISSING);
  }
};

/** Resolves with `{label, version}` once the C++ side has answered the handshake. */
export const ready = injected ? injected.ready : Promise.reject(new IpcError('bridge.unavailable', MISSING));
ready.catch(() => {}); // unobserved, it must not be reported as an unhandled rejection

// The desktop plugins' wrappers; each also has its own entry (`@myapp/api/dialog`, ...).
export * as dialog from './src/dialog.js';
export * as clipboard from './src/clipboard.js';
export * as opener from './src/opener.js';
export * as tray from './src/tray.js';
export * as menu from './src/menu.js';

// The window API: the window plugin's script (src/window.js) defines it in every page as
// `__MYAPP_WINDOW__`; these are the very same classes and functions.
const injectedWindow = globalThis.__MYAPP_WINDOW__;
const unavailableClass = (name) => Object.defineProperty(class {
  constructor() {
    throw new IpcError('bridge.unavailable', MISSING);
  }
}, 'name', { value: name });

/** A window by label (`new Window('main')` wraps an existing window). */
export const Window = injectedWindow ? injectedWindow.Window : unavailableClass('Window');

/** `new WebviewWindow(label, options)` creates a window (needs `core:window:allow-create`). */
export const WebviewWindow = injectedWindow ? injectedWindow.WebviewWindow : unavailableClass('WebviewWindow');

/** The window of this page. Throws a bridge.unavailable IpcError outside a myapp webview. */
export function getCurrentWindow() {
  const w = globalThis.__MYAPP_WINDOW__;
  if (!w) throw new IpcError('bridge.unavailable', MISSING);
  return w.getCurrentWindow();
}
export const getCurrentWebviewWindow = getCurrentWindow;

/** Every live window. */
export function getAllWindows() {
  const w = globalThis.__MYAPP_WINDOW__;
  return w ? w.getAllWindows() : Promise.reject(new IpcError('bridge.unavailable', MISSING));
}
