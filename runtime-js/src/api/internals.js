// Where the API modules send their calls: the client the myapp webview injects into every page
// (the flat `window.__MYAPP__`: invoke, listen, once, emit, emitTo, Channel, IpcError, ready,
// label), or the mock backend of ./mocks.js while a test has installed one. Every module of this
// folder looks its backend up here at call time, so a page, a bundle and a Node test share one
// code path.
//
// Written in the subset of ES modules that the runtime's bundle step turns into the namespaced
// global (`__MYAPP__.core`, ...; cmake/bundle_api.cmake): one-line `import { a, b } from
// './x.js'`, `export` before a declaration, `export { a, b as c }`.

const MISSING = 'window.__MYAPP__ is missing: this page is not running inside a myapp webview';

/**
 * The client the webview injected, or undefined outside a myapp webview. While the host builds
 * the namespaced global from these modules, that is the object being built (`__myapp_client`).
 */
export function injected() {
  // eslint-disable-next-line no-undef
  if (typeof __myapp_client === 'object' && __myapp_client !== null) return __myapp_client;
  return globalThis.__MYAPP__;
}

const client = injected();

/**
 * The error every failed call rejects with. In a myapp webview it is the very class of the
 * injected client (`__MYAPP__.IpcError`), so `instanceof` works for errors from either side.
 */
export const IpcError = client ? client.IpcError : class IpcError extends Error {
  constructor(code, message, data) {
    super(message);
    this.code = code;
    this.data = data;
  }
  get name() { return 'IpcError'; }
};

let mock = null;

/** Installs (or, with null, removes) the mock backend; ./mocks.js only. */
export function setMock(m) {
  mock = m;
}

/** The mock backend, or null. */
export function mocked() {
  return mock;
}

/**
 * How the mock backend feeds a channel made outside a myapp webview: channel -> {end()}, `end`
 * resolving its `closed` promise.
 */
export const channelFeeds = new WeakMap();

/** The error of a call made outside a myapp webview with no mock installed. */
export function unavailable() {
  return new IpcError('bridge.unavailable', MISSING);
}

/** What calls go to now: the mock, else the injected client. Throws bridge.unavailable. */
export function backend() {
  if (mock) return mock;
  const c = injected();
  if (!c) throw unavailable();
  return c;
}

/**
 * A function calling the backend's `name` at call time, that never throws: a missing backend is
 * a rejected promise.
 */
export function forward(name) {
  return Object.defineProperty((...args) => {
    try {
      return backend()[name](...args);
    } catch (e) {
      return Promise.reject(e);
    }
  }, 'name', { value: name });
}
