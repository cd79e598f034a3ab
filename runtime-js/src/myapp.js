// myapp page client, wire protocol v1 (see docs/protocol.md).
//
// Injected by the C++ side into every page at document creation, in the main world,
// right after Qt's qwebchannel.js. Classic script, no dependencies. Defines the frozen
// global `__MYAPP__` = { version, invoke, ready, IpcError }.
//
// The protocol constants here and in framework/core/include/myapp/protocol.hpp must change
// together, with `VERSION`.
(function () {
  'use strict';

  if (globalThis.__MYAPP__) return; // injected twice into the same world: keep the first

  const VERSION = 1;

  class IpcError extends Error {
    constructor(code, message, data) {
      super(message);
      this.code = code;
      this.data = data;
    }
  }
  IpcError.prototype.name = 'IpcError';

  // --- state ---------------------------------------------------------------------------

  let bridge = null;      // the `myapp` QWebChannel object once connected
  let unavailable = '';   // why there is no bridge, once we know it cannot exist
  let welcomed = false;
  let nextId = 1;
  const pending = new Map(); // id -> [resolve, reject]

  // Outgoing messages, already serialized. `hello` goes in first so it heads the first batch;
  // everything queued before the channel connects is sent with it.
  let queue = ['{"k":"hello","v":' + VERSION + '}'];
  let queuedIds = []; // ids of the invokes in `queue`, to fail them if posting throws
  let flushScheduled = false;

  let resolveReady, rejectReady;
  const ready = new Promise((res, rej) => { resolveReady = res; rejectReady = rej; });
  ready.catch(() => {}); // a page that never looks at `ready` must not log an unhandled rejection

  // --- outgoing --------------------------------------------------------------------------

  function push(part, id) {
    queue.push(part);
    if (id !== undefined) queuedIds.push(id);
    // One flush per microtask: everything pushed until it runs travels in the same batch.
    // Before the channel connects nothing is scheduled; connecting flushes the queue.
    if (bridge && !flushScheduled) {
      flushScheduled = true;
      queueMicrotask(flush);
    }
  }

  function flush() {
    flushScheduled = false;
    if (!bridge || queue.length === 0) return;
    const text = '[' + queue.join(',') + ']';
    const ids = queuedIds;
    queue = [];
    queuedIds = [];
    try {
      bridge.post(text);
    } catch (e) {
      // Nothing of this batch reached the host: fail its calls rather than leave them hanging.
      console.error('myapp: post() failed:', e);
      const why = 'the message could not be sent: ' + (e && e.message ? e.message : String(e));
      for (const id of ids) {
        const p = pending.get(id);
        if (p) {
          pending.delete(id);
          p[1](new IpcError('bridge.unavailable', why));
        }
      }
    }
  }

  // --- argument checks -------------------------------------------------------------------

  // A plain object from any realm (this page, an iframe, a test harness): its prototype is
  // null or some realm's Object.prototype. Arrays, Maps, Dates and class instances fail.
  function isPlain(v) {
    if (v === null || typeof v !== 'object') return false;
    const p = Object.getPrototypeOf(v);
    return p === null || Object.getPrototypeOf(p) === null;
  }

  function describe(v) {
    if (v === null) return 'null';
    if (Array.isArray(v)) return 'an array';
    if (typeof v !== 'object') return typeof v;
    const c = v.constructor && v.constructor.name;
    return c ? 'an instance of ' + c : 'an object';
  }

  // Returns an error message, or '' when the call is well formed.
  function check(cmd, args, options) {
    if (typeof cmd !== 'string' || cmd === '')
      return 'cmd must be a non-empty string, got ' + (cmd === '' ? 'an empty string' : describe(cmd));
    if (args !== undefined && !isPlain(args))
      return 'args must be a plain object or undefined, got ' + describe(args);
    if (!isPlain(options))
      return 'options must be a plain object or undefined, got ' + describe(options);
    const h = options.headers;
    if (h !== undefined) {
      if (!isPlain(h)) return 'options.headers must be a plain object of strings, got ' + describe(h);
      for (const key of Object.keys(h))
        if (typeof h[key] !== 'string')
          return 'options.headers[' + JSON.stringify(key) + '] must be a string, got ' + describe(h[key]);
    }
    return '';
  }

  // --- invoke ----------------------------------------------------------------------------

  function invoke(cmd, args = {}, options = {}) {
    if (unavailable) return Promise.reject(new IpcError('bridge.unavailable', unavailable));
    const problem = check(cmd, args, options);
    if (problem) return Promise.reject(new IpcError('args.invalid', 'invoke(): ' + problem));

    const msg = { k: 'invoke', id: nextId, cmd, args };
    if (options.headers !== undefined) msg.headers = options.headers;
    let part;
    try {
      // Serialize now, so a later mutation of `args` cannot change what is sent and a bad
      // value (BigInt, cycle, throwing toJSON) fails this call alone.
      part = JSON.stringify(msg);
    } catch (e) {
      return Promise.reject(new IpcError('args.invalid',
        'invoke(' + JSON.stringify(cmd) + '): args cannot be serialized to JSON: ' +
        (e && e.message ? e.message : String(e))));
    }
    const id = nextId++;
    return new Promise((resolve, reject) => {
      pending.set(id, [resolve, reject]);
      push(part, id);
    });
  }

  // --- incoming --------------------------------------------------------------------------

  function onDeliver(text) {
    let batch;
    try {
      batch = JSON.parse(text);
    } catch (e) {
      console.error('myapp: malformed batch from host (not JSON):', e && e.message);
      return;
    }
    if (!Array.isArray(batch)) {
      console.error('myapp: malformed batch from host (not an array)');
      return;
    }
    for (const m of batch) {
      try {
        handle(m);
      } catch (e) {
        console.error('myapp: failed to handle message from host:', e);
      }
    }
  }

  function handle(m) {
    if (m === null || typeof m !== 'object') {
      console.warn('myapp: ignoring non-object message from host:', m);
      return;
    }
    switch (m.k) {
      case 'welcome':
        if (welcomed) {
          console.warn('myapp: ignoring repeated welcome');
          return;
        }
        welcomed = true;
        resolveReady(Object.freeze({ label: m.label, version: m.v }));
        push('{"k":"ready"}');
        return;

      case 'result':
      case 'error': {
        const p = pending.get(m.id);
        if (!p) {
          console.warn('myapp: ignoring ' + m.k + ' for unknown id', m.id);
          return;
        }
        pending.delete(m.id);
        if (m.k === 'result') {
          p[0](m.ok);
        } else {
          const e = m.error || {};
          p[1](new IpcError(String(e.code), String(e.message), e.data));
        }
        return;
      }

      case 'fault': {
        // The host could not read an id from something we sent, so no call can be failed.
        const e = m.error || {};
        console.error('myapp: host reported a fault: [' + e.code + '] ' + e.message);
        // A host that does not speak our protocol version will answer nothing.
        if (e.code === 'protocol.version') fail(String(e.message));
        return;
      }

      default:
        console.warn('myapp: ignoring message of unknown kind', m.k);
    }
  }

  // --- connection ------------------------------------------------------------------------

  function fail(message) {
    unavailable = message;
    queue = [];
    queuedIds = [];
    for (const p of pending.values()) p[1](new IpcError('bridge.unavailable', message));
    pending.clear();
    rejectReady(new IpcError('bridge.unavailable', message));
  }

  const qt = globalThis.qt;
  if (qt && qt.webChannelTransport && typeof globalThis.QWebChannel === 'function') {
    try {
      new globalThis.QWebChannel(qt.webChannelTransport, (channel) => {
        const obj = channel && channel.objects && channel.objects.myapp;
        if (!obj) {
          fail('the web channel has no "myapp" object: this page is not served by a myapp webview');
          return;
        }
        bridge = obj;
        bridge.deliver.connect(onDeliver);
        flush(); // hello, plus anything invoked while connecting
      });
    } catch (e) {
      fail('could not open the web channel: ' + (e && e.message ? e.message : String(e)));
    }
  } else {
    fail('qt.webChannelTransport is missing: this page is not running inside a myapp webview');
  }

  Object.defineProperty(globalThis, '__MYAPP__', {
    value: Object.freeze({ version: VERSION, invoke, ready, IpcError }),
    enumerable: false,
    writable: false,
    configurable: false,
  });
})();
