// @myapp/api — ES module entry for bundled front ends.
//
// The real client is the classic script src/myapp.js, which the myapp webview injects into
// every page as the global `__MYAPP__` before any page script runs. This module only
// forwards to it, so a bundle and inline scripts share one connection, one id counter and
// one IpcError class.

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

/**
 * Call the command `cmd` on the C++ side. Resolves with its result, rejects with an IpcError.
 * Never throws synchronously: a missing bridge is reported as a rejected promise.
 */
export const invoke = (...a) => {
  try {
    return api().invoke(...a);
  } catch (e) {
    return Promise.reject(e);
  }
};

/** Resolves with `{label, version}` once the C++ side has answered the handshake. */
export const ready = injected ? injected.ready : Promise.reject(new IpcError('bridge.unavailable', MISSING));
ready.catch(() => {}); // unobserved, it must not be reported as an unhandled rejection
