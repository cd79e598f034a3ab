// @myapp/api/mocks — a mock backend for testing a frontend without a webview (Node's test
// runner, Vitest, a plain browser page): mockIPC(), mockWindows(), clearMocks() (the shapes of
// @tauri-apps/api/mocks). While a mock is installed, every module of @myapp/api calls it
// instead of C++, with the argument checks, error class and channel order of the real client.
import { IpcError, setMock, mocked, channelFeeds } from './internals.js';

const EVENT_NAME = /^[A-Za-z0-9\-/:_]{1,128}$/;

let state = null; // {handler, mockEvents, label, windows, listeners: Map(event -> [rec])}
let nextEventId = 1;

function describe(v) {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v !== 'object') return typeof v;
  const c = v.constructor && v.constructor.name;
  return c ? 'an instance of ' + c : 'an object';
}

function isPlain(v) {
  if (v === null || typeof v !== 'object') return false;
  const p = Object.getPrototypeOf(v);
  return p === null || Object.getPrototypeOf(p) === null;
}

const isBytes = (v) => ArrayBuffer.isView(v) || v instanceof ArrayBuffer;

// A fetch-style Headers (from any realm), as the real client takes it.
const isHeadersObject = (h) => h !== null && typeof h === 'object' && typeof h.forEach === 'function' &&
  typeof h.get === 'function' && typeof h.has === 'function' && !isPlain(h);

// What JSON.stringify would refuse in `value` (BigInt, a cycle, a throwing toJSON), as the real
// client refuses it; bytes and channels travel as themselves.
function unserializable(value) {
  try {
    JSON.stringify(value, (key, v) => (isBytes(v) ? null : v));
    return '';
  } catch (e) {
    return e && e.message ? e.message : String(e);
  }
}

// The problem with an invoke's arguments, as the real client words it; '' when there is none.
function badCall(cmd, args, options) {
  if (typeof cmd !== 'string' || cmd === '') {
    return 'cmd must be a non-empty string, got ' + (cmd === '' ? 'an empty string' : describe(cmd));
  }
  if (args !== undefined && !isPlain(args) && !isBytes(args)) {
    return 'args must be a plain object, a raw body (an ArrayBuffer, a typed array or a ' +
      'DataView) or undefined, got ' + describe(args);
  }
  if (!isPlain(options)) return 'options must be a plain object or undefined, got ' + describe(options);
  const h = options.headers;
  if (h !== undefined && !isHeadersObject(h)) {
    if (!isPlain(h)) return 'options.headers must be a Headers or a plain object of strings, got ' + describe(h);
    for (const key of Object.keys(h)) {
      if (typeof h[key] !== 'string') return 'options.headers[' + JSON.stringify(key) + '] must be a string, got ' + describe(h[key]);
    }
  }
  const s = options.signal;
  if (s !== undefined && (s === null || typeof s !== 'object' || typeof s.aborted !== 'boolean')) {
    return 'options.signal must be an AbortSignal, got ' + describe(s);
  }
  return '';
}

function cancelled(cmd) {
  return new IpcError('cancelled', 'invoke(' + JSON.stringify(cmd) + ') was aborted');
}

// The mock's invoke: the handler runs at once (as in Tauri's mocks); the promise settles with
// what it returns, or rejects with what it throws, as it is.
function invoke(cmd, args = {}, options = {}) {
  const problem = badCall(cmd, args, options);
  if (problem) return Promise.reject(new IpcError('args.invalid', 'invoke(): ' + problem));
  const why = unserializable(args);
  if (why) {
    return Promise.reject(new IpcError('args.invalid',
      'invoke(' + JSON.stringify(cmd) + '): args cannot be serialized to JSON: ' + why));
  }
  const { signal } = options;
  if (signal && signal.aborted) return Promise.reject(cancelled(cmd));
  return new Promise((resolve, reject) => {
    if (signal) signal.addEventListener('abort', () => reject(cancelled(cmd)), { once: true });
    if (!state.handler) {
      if (cmd === 'plugin:window|get_all_windows' && state.windows) {
        resolve(state.windows.slice());
        return;
      }
      reject(new IpcError('bridge.unavailable', 'invoke(' + JSON.stringify(cmd) +
        '): no IPC handler is mocked; call mockIPC(handler) first'));
      return;
    }
    let answer;
    try {
      answer = state.handler(cmd, args, options);
    } catch (e) {
      reject(e);
      return;
    }
    Promise.resolve(answer).then((value) => {
      if (value === undefined && cmd === 'plugin:window|get_all_windows' && state.windows) {
        resolve(state.windows.slice());
      } else {
        resolve(value);
      }
    }, reject);
  });
}

// Tells the handler about an event operation (cmd `plugin:event|...`); rejects with what it throws.
function notify(cmd, args) {
  if (!state.handler) return Promise.resolve();
  try {
    return Promise.resolve(state.handler(cmd, args, {})).then(() => undefined);
  } catch (e) {
    return Promise.reject(e);
  }
}

function badEvent(where, event) {
  if (typeof event === 'string' && EVENT_NAME.test(event)) return null;
  return Promise.reject(new IpcError('event.invalid_name', where + ': invalid event name ' +
    (typeof event === 'string' ? JSON.stringify(event) : describe(event)) +
    ': expected 1 to 128 characters from A-Z a-z 0-9 - / : _'));
}

function addListener(where, event, handler, isOnce) {
  const bad = badEvent(where, event);
  if (bad) return bad;
  if (typeof handler !== 'function') {
    return Promise.reject(new IpcError('args.invalid', where + ': handler must be a function, got ' + describe(handler)));
  }
  const s = state;
  return notify('plugin:event|listen', { event }).then(() => {
    const rec = { handler, once: isOnce, dead: false };
    s.listeners.set(event, (s.listeners.get(event) || []).concat(rec));
    return () => {
      if (rec.dead) return;
      rec.dead = true;
      const rest = (s.listeners.get(event) || []).filter((r) => r !== rec);
      if (rest.length) {
        s.listeners.set(event, rest);
      } else {
        s.listeners.delete(event);
        notify('plugin:event|unlisten', { event }).catch((e) => console.error('myapp mocks: unlisten:', e));
      }
    };
  });
}

// Delivers a mocked event to this page's listeners, as the host would: after the emit returns.
function deliver(s, event, payload) {
  const list = s.listeners.get(event);
  if (!list) return;
  const ev = { event, id: nextEventId++, payload };
  for (const rec of list) {
    if (rec.dead) continue;
    if (rec.once) rec.dead = true;
    try {
      rec.handler(ev);
    } catch (e) {
      console.error('myapp mocks: a listener of ' + JSON.stringify(event) + ' threw:', e);
    }
  }
  const live = list.filter((r) => !r.dead);
  if (live.length) s.listeners.set(event, live);
  else s.listeners.delete(event);
}

function sendEmit(where, cmd, args, toHere) {
  const bad = badEvent(where, args.event);
  if (bad) return bad;
  const why = unserializable(args.payload);
  if (why) {
    return Promise.reject(new IpcError('args.invalid', where + ': the payload of ' + JSON.stringify(args.event) +
      ' cannot be serialized to JSON: ' + why));
  }
  const s = state;
  return notify(cmd, args).then(() => {
    if (s.mockEvents && toHere) deliver(s, args.event, args.payload);
  });
}

function emit(event, payload) {
  return sendEmit('emit()', 'plugin:event|emit', { event, payload }, true);
}

function emitTo(target, event, payload) {
  if (typeof target !== 'string' || target === '') {
    return Promise.reject(new IpcError('args.invalid', 'emitTo(): target must be a non-empty string, got ' + describe(target)));
  }
  return sendEmit('emitTo()', 'plugin:event|emit_to', { target, event, payload }, target === state.label);
}

function install() {
  if (state) return state;
  state = { handler: null, mockEvents: false, label: undefined, windows: null, listeners: new Map() };
  const s = state;
  setMock(Object.freeze({
    IpcError,
    invoke,
    emit,
    emitTo,
    listen: (event, handler) => addListener('listen()', event, handler, false),
    once: (event, handler) => addListener('once()', event, handler, true),
    get label() { return s.label; },
  }));
  return s;
}

/**
 * Answers every invoke with `handler(cmd, args, options)`: what it returns (or resolves with) is
 * the result, what it throws (or rejects with) the error, as it is. Event operations reach it as
 * `plugin:event|listen`, `|unlisten`, `|emit` and `|emit_to` commands. With `shouldMockEvents`,
 * emit() also reaches this page's listeners, and emitTo() does when it targets the mocked
 * current window.
 */
export function mockIPC(handler, options = {}) {
  if (typeof handler !== 'function') {
    throw new IpcError('args.invalid', 'mockIPC(): handler must be a function, got ' + describe(handler));
  }
  const s = install();
  s.handler = handler;
  s.mockEvents = Boolean(options && options.shouldMockEvents);
}

/**
 * Makes this page the window `current`, among `additional` others: getCurrentWindow() is
 * `current`, getAllWindows() lists them all (unless the IPC handler answers
 * `plugin:window|get_all_windows` itself).
 */
export function mockWindows(current, ...additional) {
  for (const label of [current, ...additional]) {
    if (typeof label !== 'string' || label === '') {
      throw new IpcError('args.invalid', 'mockWindows(): every label must be a non-empty string, got ' + describe(label));
    }
  }
  const s = install();
  s.label = current;
  s.windows = [current, ...additional];
}

/** Removes the mocks: calls go to the webview's client again (or fail outside one). */
export function clearMocks() {
  state = null;
  setMock(null);
}

// The channels being fed, each with its queue of frames: delivered in order, one at a time,
// after the handler that sent them has returned.
const feeding = new Map(); // channel -> {queue: [{data} | {end: true}]}
const ended = new WeakSet();

function feed(channel, item) {
  if (channel === null || typeof channel !== 'object' || typeof channel.toJSON !== 'function') {
    throw new IpcError('args.invalid', 'not a Channel: ' + describe(channel));
  }
  if (ended.has(channel)) throw new IpcError('channel.closed', 'channel ' + channel.id + ' was closed');
  if (item.end) ended.add(channel);
  let f = feeding.get(channel);
  if (!f) feeding.set(channel, (f = { queue: [] }));
  f.queue.push(item);
  if (f.queue.length === 1) queueMicrotask(() => drain(channel, f));
}

function drain(channel, f) {
  while (f.queue.length > 0) {
    const item = f.queue[0];
    const fn = item.end ? channel.onclose : channel.onmessage;
    if (typeof fn === 'function') {
      try {
        fn.call(channel, item.data);
      } catch (e) {
        console.error('myapp mocks: ' + (item.end ? 'onclose' : 'onmessage') + ' of channel ' + channel.id + ' threw:', e);
      }
    }
    f.queue.shift();
    if (item.end) {
      feeding.delete(channel);
      const own = channelFeeds.get(channel);
      if (own) own.end();
    }
  }
}

/** Sends `data` to `channel` as the C++ side's `channel.send()` would: in order, after the handler returns. */
export function sendToChannel(channel, data) {
  if (!mocked()) throw new IpcError('bridge.unavailable', 'sendToChannel(): no mock is installed');
  feed(channel, { data });
}

/** Closes `channel` after the frames sent before: its `onclose` runs and `closed` resolves. */
export function closeChannel(channel) {
  if (!mocked()) throw new IpcError('bridge.unavailable', 'closeChannel(): no mock is installed');
  feed(channel, { end: true });
}

// ---------------------------------------------------------------------------------------------
// Recordings (docs/recording.md): the answers a real backend gave, as a mockIPC handler.

// A recorded long string's text. ignoreBOM: a string that begins with U+FEFF keeps it.
const utf8Text = (buffer) => new TextDecoder('utf-8', { ignoreBOM: true }).decode(buffer);

function fromBase64(text) {
  const s = atob(text);
  const a = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) a[i] = s.charCodeAt(i);
  return a.buffer;
}

// `v` with each {"$bytes": i} replaced by the i-th attachment of `bin`, and each {"$str": i} by
// that attachment's text (a long string); throws when bytes were too large to be recorded.
function reviveBytes(v, bin, where) {
  if (v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) return v.map((e) => reviveBytes(e, bin, where));
  const keys = Object.keys(v);
  if (keys.length === 1 && keys[0] === '$bytes' && Number.isInteger(v.$bytes)) {
    const a = bin && bin[v.$bytes];
    if (a && typeof a.b64 === 'string') return fromBase64(a.b64);
    throw new IpcError('recording.incomplete', where + ': its bytes (' + (a && a.n) +
      ' of them) were too large to be recorded');
  }
  if (keys.length === 1 && keys[0] === '$str' && Number.isInteger(v.$str)) {
    const a = bin && bin[v.$str];
    if (a && typeof a.b64 === 'string') return utf8Text(fromBase64(a.b64));
    throw new IpcError('recording.incomplete', where + ': a string of ' + (a && a.n) +
      ' bytes was not recorded');
  }
  const out = {};
  for (const k of keys) out[k] = reviveBytes(v[k], bin, where);
  return out;
}

// A value's text for comparing arguments: keys sorted, bytes and channels as placeholders
// (their identity differs between the recording and the test).
function shapeOf(v) {
  if (v === null || typeof v !== 'object') return JSON.stringify(v) ?? 'undefined';
  if (isBytes(v)) return '"$bytes"';
  if (typeof v.toJSON === 'function') {
    const j = v.toJSON();
    if (j && typeof j === 'object' && '$channel' in j) return '"$channel"';
    return shapeOf(j);
  }
  if (Array.isArray(v)) return '[' + v.map(shapeOf).join(',') + ']';
  const keys = Object.keys(v);
  if (keys.length === 1 && (keys[0] === '$bytes' || keys[0] === '$channel')) return '"' + keys[0] + '"';
  if (keys.length === 1 && keys[0] === '$str') return '"$str"';
  return '{' + keys.filter((k) => v[k] !== undefined).sort().map((k) => JSON.stringify(k) + ':' + shapeOf(v[k])).join(',') + '}';
}

// The channels in `args` (live) at the places where the recorded args had {"$channel": id}:
// [[recorded id, Channel], ...].
function channelsIn(recorded, live, out = []) {
  if (recorded === null || typeof recorded !== 'object' || live === null || typeof live !== 'object') return out;
  if (!Array.isArray(recorded) && Number.isInteger(recorded.$channel) && typeof live.toJSON === 'function') {
    out.push([recorded.$channel, live]);
    return out;
  }
  for (const k of Object.keys(recorded)) channelsIn(recorded[k], live[k], out);
  return out;
}

// A recorded invoke's args with its long strings ({"$str": i}, sent as attachments) in place, so
// that they compare with the args a test passes; bytes stay {"$bytes": i} (they match any).
function recordedArgs(m, r) {
  if (!Array.isArray(m.bin)) return m.args;
  const textOfEntry = (e) => {
    const a = e && Number.isInteger(e.lane) && Array.isArray(r.uploads) ? r.uploads[e.lane] : e;
    return a && typeof a.b64 === 'string' ? utf8Text(fromBase64(a.b64)) : undefined;
  };
  const put = (v) => {
    if (v === null || typeof v !== 'object') return v;
    if (Array.isArray(v)) return v.map(put);
    const keys = Object.keys(v);
    if (keys.length === 1 && keys[0] === '$str' && Number.isInteger(v.$str)) {
      const text = textOfEntry(m.bin[v.$str]);
      if (text !== undefined) return text;
    }
    const out = {};
    for (const k of keys) out[k] = put(v[k]);
    return out;
  };
  return put(m.args);
}

function parseRecording(recording) {
  let records = recording;
  if (typeof recording === 'string') {
    records = [];
    const lines = recording.split('\n');
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i].trim();
      if (!line) continue;
      try {
        records.push(JSON.parse(line));
      } catch (e) {
        throw new IpcError('recording.invalid', 'fromRecording(): line ' + (i + 1) + ' is not JSON: ' + e.message);
      }
    }
  }
  if (!Array.isArray(records)) {
    throw new IpcError('recording.invalid', 'fromRecording(): expected the text of a recording or its records, got ' + describe(recording));
  }
  const head = records[0];
  if (!head || head.recording !== 'myapp') {
    throw new IpcError('recording.invalid', 'fromRecording(): not a myapp recording (its first line has no "recording": "myapp")');
  }
  if (head.v !== 1) {
    throw new IpcError('recording.invalid', 'fromRecording(): a recording of version ' + head.v + '; this @myapp/api reads version 1');
  }
  // Every recorded invoke with its answer and the frames of the channels it carried.
  const calls = [];
  const bySession = new Map(); // session -> {calls: Map(id -> call), channels: Map(ch -> frames)}
  const sessionOf = (n) => {
    if (!bySession.has(n)) bySession.set(n, { calls: new Map(), channels: new Map() });
    return bySession.get(n);
  };
  for (const r of records.slice(1)) {
    const s = sessionOf(r.session);
    if (r.dir === 'in' && Array.isArray(r.batch)) {
      for (const m of r.batch) {
        if (!m || m.k !== 'invoke') continue;
        const call = { window: r.window, cmd: m.cmd, args: m.args === undefined ? {} : recordedArgs(m, r), answer: null, channels: s.channels, used: false };
        s.calls.set(m.id, call);
        calls.push(call);
      }
    } else if (r.dir === 'out' && r.msg) {
      const m = r.msg;
      if ((m.k === 'result' || m.k === 'error') && s.calls.has(m.id)) {
        s.calls.get(m.id).answer = { msg: m, bin: r.bin };
      } else if (m.k === 'chan' || m.k === 'chan_end') {
        if (!s.channels.has(m.ch)) s.channels.set(m.ch, []);
        s.channels.get(m.ch).push({ msg: m, bin: r.bin });
      }
    }
  }
  return calls.filter((c) => c.answer !== null);
}

/**
 * A mockIPC() handler answering from a recording (MYAPP_RECORD, docs/recording.md): each invoke
 * gets the answer the real backend gave to the first unused recorded call of that command with
 * the same arguments (bytes and channels match any), or else — unless `match` is 'args' — the
 * next unused call of that command in recorded order. Errors reject as they did (an IpcError
 * with its code, or the error value); channels passed in the arguments get the recorded frames
 * and end. A command the recording has no (more) calls of rejects with `command.not_found`.
 */
export function fromRecording(recording, options = {}) {
  const match = options && options.match !== undefined ? options.match : 'args-then-order';
  if (match !== 'args' && match !== 'order' && match !== 'args-then-order') {
    throw new IpcError('args.invalid', "fromRecording(): match must be 'args', 'order' or 'args-then-order', got " + JSON.stringify(match));
  }
  const calls = parseRecording(recording);
  return (cmd, args) => {
    if (typeof cmd === 'string' && cmd.startsWith('plugin:event|')) return undefined;
    const unused = calls.filter((c) => !c.used && c.cmd === cmd);
    let call;
    if (match !== 'order') {
      const shape = shapeOf(args === undefined ? {} : args);
      call = unused.find((c) => shapeOf(c.args) === shape);
    }
    if (!call && match !== 'args') call = unused[0];
    if (!call) {
      throw new IpcError('command.not_found', 'the recording has no ' + (calls.some((c) => c.cmd === cmd) ? 'more ' : '') +
        'calls of `' + cmd + '`' + (match === 'args' ? ' with these arguments' : ''));
    }
    call.used = true;
    const where = 'the recorded answer to `' + cmd + '`';
    // Frames of the channels the call carried, in the order they were sent.
    for (const [id, channel] of channelsIn(call.args, args)) {
      for (const f of call.channels.get(id) || []) {
        if (f.msg.k === 'chan') sendToChannel(channel, reviveBytes(f.msg.data, f.bin, where));
        else closeChannel(channel);
      }
    }
    const m = call.answer.msg;
    if (m.k === 'result') return reviveBytes(m.ok, call.answer.bin, where);
    if (m.error) throw new IpcError(m.error.code, m.error.message, m.error.data);
    throw m.value;
  };
}
