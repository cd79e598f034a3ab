// myapp page client, wire protocol v1 (see docs/protocol.md).
//
// Injected by the C++ side into every page at document creation, in the main world,
// right after Qt's qwebchannel.js. Classic script, no dependencies. Defines the frozen
// global `__MYAPP__` = { version, invoke, ready, IpcError, listen, once, emit, emitTo, Channel }.
//
// The protocol constants here and in framework/core/include/myapp/protocol.hpp must change
// together, with `VERSION`.
(function () {
  'use strict';

  if (globalThis.__MYAPP__) return; // injected twice into the same world: keep the first

  const VERSION = 1;
  // The per-page secret, when the host wrapped this script to pass one: every post carries it,
  // so that a context that did not get this client cannot talk to the bridge. It lives only in
  // this closure, never on `window`.
  // eslint-disable-next-line no-undef
  const SECRET = typeof __myapp_secret === 'string' ? __myapp_secret : '';

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
  let droppedBeforeWelcome = 0;
  // The event operations the page's capabilities refuse ({listen, emit, emitTo}: the reason),
  // from the welcome.
  let deniedOps = {};
  let nextId = 1;
  const pending = new Map(); // id -> [resolve, reject, signal?, cmd?]
  // One abort listener per signal, whatever the number of pending calls sharing it: adding
  // many listeners to one EventTarget is quadratic (each add looks for a duplicate).
  const aborts = new WeakMap(); // signal -> {ids: Set of pending ids, onAbort}
  // Ids cancelled by the page: an answer the host sent before it read the `cancel` is dropped
  // silently. Usually none comes, so the oldest are forgotten past a bound.
  const cancelled = new Set();
  const CANCELLED_MAX = 4096;
  // Error codes meaning the handler never ran, so nothing will feed the call's channels.
  const NOT_RUN = new Set(['command.not_found', 'args.invalid', 'protocol.invalid',
    'limit.exceeded', 'acl.denied']);
  const listeners = new Map(); // event name -> array of {fn, once, dead}, replaced on change
  let nextChannelId = 1;
  const channels = new Map(); // channel id -> channel state (see Channel)
  // Channels carried by each pending call (only calls that carry any), and the ids of channels
  // given up locally (their call was cancelled, or failed before its handler ran) whose late
  // frames and end are dropped without a warning. Bounded like `cancelled`.
  const callChannels = new Map();
  const abandoned = new Set();
  let serializing = null; // while an invoke's args are being serialized: the channels seen
  let creditDue = [];         // channel states with credit to grant in the next batch

  // Bytes and large payloads (docs/bytes.md). The host's welcome says where the page fetches
  // large results (`blobs`, a URL prefix on the app origin) and where the bulk lane is (`lane`,
  // a loopback WebSocket URL with this page load's secret in it; it lives only in this
  // closure). Without them everything travels through QWebChannel.
  let blobBase = '';
  let useFetch = false;
  let laneUrl = '';
  let laneJson = Infinity;   // batches larger than this (bytes of UTF-8) go over the lane
  let laneBytes = Infinity;  // buffers larger than this go over the lane
  let laneMax = Infinity;    // the lane's largest message
  let lane = null;           // the WebSocket once opened
  let laneState = 'none';    // none | connecting | open | failed
  let laneBacklog = null;    // batches waiting for the lane to open, in order
  const laneIds = new Set(); // invokes sent over the lane: their cancels follow the same way
  let inbound = null;        // while messages wait for their blobs: the chain that orders them

  // Outgoing messages, already serialized. `hello` goes in first so it heads the first batch;
  // everything queued before the channel connects is sent with it.
  let queue = ['{"k":"hello","v":' + VERSION + '}'];
  // What each part of `queue` stands for, at the same index: an invoke's id (to fail it if
  // posting throws), an emit's [resolve, reject] (settled by the post), or undefined.
  let queueMeta = [undefined];
  // The binary attachments of each part (Uint8Arrays its JSON refers to as {"$bytes": i}), or
  // undefined.
  let queueBin = [undefined];
  // The host's largest batch, in bytes of UTF-8; `welcome` says what it is.
  let maxBatch = 64 * 1024 * 1024;
  let flushScheduled = false;

  let resolveReady, rejectReady;
  const ready = new Promise((res, rej) => { resolveReady = res; rejectReady = rej; });
  ready.catch(() => {}); // a page that never looks at `ready` must not log an unhandled rejection

  // --- outgoing --------------------------------------------------------------------------

  function push(part, meta, bin) {
    queue.push(part);
    queueMeta.push(meta);
    queueBin.push(bin);
    schedule();
  }

  // Bytes of `s` in UTF-8 (the host's limits count those).
  function utf8Length(s) {
    let n = s.length;
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c >= 0x80) n += c >= 0x800 && (c < 0xd800 || c > 0xdfff) ? 2 : 1;
    }
    return n;
  }

  // True when one message alone is too large for a batch.
  function tooLarge(part) {
    return part.length * 3 + 2 > maxBatch && utf8Length(part) + 2 > maxBatch;
  }

  // One flush per microtask: everything pushed until it runs travels in the same batch.
  // Before the channel connects nothing is scheduled; connecting flushes the queue.
  function schedule() {
    if (bridge && !flushScheduled) {
      flushScheduled = true;
      queueMicrotask(flush);
    }
  }

  function flush() {
    flushScheduled = false;
    if (!bridge) return;
    for (const s of creditDue) {
      // A closed channel no longer exists on the host: crediting it would be an error there.
      if (!s.done) {
        queue.push('{"k":"credit","ch":' + s.id + ',"n":' + s.credit + '}');
        queueMeta.push(undefined);
        queueBin.push(undefined);
      }
      s.credit = 0;
    }
    creditDue = [];
    if (queue.length === 0) return;
    const parts = queue;
    const metas = queueMeta;
    const bins = queueBin;
    queue = [];
    queueMeta = [];
    queueBin = [];
    if (laneBacklog) {
      // The lane is opening: everything waits behind what is already waiting for it.
      laneBacklog.push([parts, metas, bins]);
      return;
    }
    send(parts, metas, bins);
  }

  // True when these parts should travel over the bulk lane.
  function wantsLane(parts, bins) {
    if (!laneUrl || laneState === 'failed') return false;
    let size = 0;
    for (let i = 0; i < parts.length; i++) {
      size += parts[i].length;
      const b = bins[i];
      if (b) for (const a of b) if (a.byteLength > laneBytes) return true;
    }
    // The threshold counts UTF-8 bytes, which are 1 to 3 per UTF-16 unit.
    if (size > laneJson) return true;
    if (size * 3 <= laneJson) return false;
    size = 0;
    for (const p of parts) size += utf8Length(p);
    return size > laneJson;
  }

  function send(parts, metas, bins) {
    if (wantsLane(parts, bins)) {
      if (laneState === 'open') {
        // Batches stay under the host's limit on the lane too.
        const budget = Math.max(1, Math.floor((maxBatch - 2) / 3));
        let start = 0;
        while (start < parts.length) {
          let end = start + 1;
          let size = parts[start].length;
          while (end < parts.length && size + 1 + parts[end].length <= budget) size += 1 + parts[end++].length;
          if (start === 0 && end === parts.length) sendLane(parts, metas, bins);
          else sendLane(parts.slice(start, end), metas.slice(start, end), bins.slice(start, end));
          start = end;
        }
      } else {
        laneBacklog = [[parts, metas, bins]];
        openLane();
      }
      return;
    }
    // Attachments ride inline, as base64.
    for (let i = 0; i < parts.length; i++) {
      const b = bins[i];
      if (!b) continue;
      parts[i] = withBin(parts[i], b.map((a) => '{"b64":"' + base64(a) + '"}'));
      if (tooLarge(parts[i])) {
        failPart(metas[i], new IpcError('limit.exceeded', 'the message with its bytes is larger than ' +
          'the app accepts through QWebChannel (' + maxBatch + ' bytes) and the bulk lane is unavailable'));
        parts[i] = null;
      }
    }
    // Usually one batch; more only when the parts would pass the host's size limit (counted
    // pessimistically, three bytes per UTF-16 unit, so no exact count is needed).
    const budget = Math.max(1, Math.floor((maxBatch - 2) / 3));
    const live = [];
    const liveMetas = [];
    for (let i = 0; i < parts.length; i++) {
      if (parts[i] === null) continue;
      live.push(parts[i]);
      liveMetas.push(metas[i]);
    }
    let start = 0;
    while (start < live.length) {
      let end = start + 1;
      let size = live[start].length;
      while (end < live.length && size + 1 + live[end].length <= budget) size += 1 + live[end++].length;
      post(live, liveMetas, start, end);
      start = end;
    }
  }

  // `part` (a JSON object's text) with a `bin` list added.
  function withBin(part, entries) {
    return part.slice(0, -1) + ',"bin":[' + entries.join(',') + ']}';
  }

  function failPart(meta, error) {
    if (typeof meta === 'number') {
      const p = take(meta);
      if (p) p[1](error);
    } else if (Array.isArray(meta)) {
      meta[1](error);
    }
  }

  // Base64 of a Uint8Array, in chunks (String.fromCharCode takes a bounded argument count).
  function base64(a) {
    let s = '';
    for (let i = 0; i < a.length; i += 0x8000) s += String.fromCharCode.apply(null, a.subarray(i, i + 0x8000));
    return btoa(s);
  }

  function openLane() {
    laneState = 'connecting';
    let ws;
    const giveUp = (why) => {
      if (laneState === 'failed') return;
      const was = laneState;
      laneState = 'failed';
      lane = null;
      console.warn('myapp: the bulk lane ' + (was === 'open' ? 'closed' : 'is unavailable') + ' (' + why +
        '); large data goes through QWebChannel, more slowly');
      // Calls whose arguments went over the lane may not have arrived whole: they fail rather
      // than wait for an answer that may never come.
      const lostIds = Array.from(laneIds);
      laneIds.clear();
      for (const id of lostIds) failPart(id, new IpcError('bridge.unavailable',
        'the bulk lane closed while the call was on it (' + why + ')'));
      drainBacklog();
    };
    try {
      ws = new WebSocket(laneUrl);
    } catch (e) {
      giveUp(errorText(e));
      return;
    }
    ws.binaryType = 'arraybuffer';
    ws.onopen = () => {
      lane = ws;
      laneState = 'open';
      drainBacklog();
    };
    ws.onerror = () => giveUp('connection error');
    ws.onclose = (e) => giveUp('code ' + e.code + (e.reason ? ': ' + e.reason : ''));
  }

  function drainBacklog() {
    const waiting = laneBacklog || [];
    laneBacklog = null;
    for (const [parts, metas, bins] of waiting) send(parts, metas, bins);
  }

  // Sends parts over the open lane: each large buffer as its own binary message, then the
  // batch, which refers to them by their order ({"lane": k}); small buffers ride inline.
  function sendLane(parts, metas, bins) {
    let k = 0;
    const text = [];
    // What the lane would refuse (and close for) fails here, with the reason.
    for (let i = 0; i < parts.length; i++) {
      const b = bins[i];
      const big = (b && b.find((a) => a.byteLength > laneMax)) || (parts[i].length > laneMax / 3 && utf8Length(parts[i]) > laneMax);
      if (big) {
        failPart(metas[i], new IpcError('limit.exceeded', 'the message or one of its buffers is larger than the ' +
          'app accepts (' + laneMax + ' bytes)'));
        parts = parts.slice(); metas = metas.slice(); bins = bins.slice();
        parts.splice(i, 1); metas.splice(i, 1); bins.splice(i, 1);
        i--;
      }
    }
    if (parts.length === 0) return;
    try {
      for (let i = 0; i < parts.length; i++) {
        let part = parts[i];
        const b = bins[i];
        if (b) {
          part = withBin(part, b.map((a) => {
            if (a.byteLength <= laneBytes) return '{"b64":"' + base64(a) + '"}';
            lane.send('u');
            lane.send(a);
            return '{"lane":' + (k++) + '}';
          }));
        }
        const m = metas[i];
        if (typeof m === 'number') laneIds.add(m);
        text.push(part);
      }
      lane.send('j');
      lane.send(new TextEncoder().encode('[' + text.join(',') + ']'));
    } catch (e) {
      console.error('myapp: sending over the bulk lane failed:', e);
      const failure = new IpcError('bridge.unavailable', 'the message could not be sent: ' + errorText(e));
      for (const m of metas) failPart(m, failure);
      return;
    }
    for (const m of metas) if (Array.isArray(m)) m[0]();
  }

  function post(parts, metas, start, end) {
    const text = '[' + (start === 0 && end === parts.length ? parts : parts.slice(start, end)).join(',') + ']';
    let failure = null;
    try {
      bridge.post(SECRET, text);
    } catch (e) {
      // Nothing of this batch reached the host: fail its calls rather than leave them hanging.
      console.error('myapp: post() failed:', e);
      failure = new IpcError('bridge.unavailable', 'the message could not be sent: ' + errorText(e));
    }
    for (let i = start; i < end; i++) {
      const m = metas[i];
      if (m === undefined) continue;
      if (typeof m === 'number') {
        if (failure) {
          const p = take(m);
          if (p) p[1](failure);
        }
      } else if (failure) {
        m[1](failure);
      } else {
        m[0]();
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
    const s = options.signal;
    if (s !== undefined &&
        (s === null || typeof s !== 'object' || typeof s.aborted !== 'boolean' || typeof s.addEventListener !== 'function'))
      return 'options.signal must be an AbortSignal, got ' + describe(s);
    return '';
  }

  // A promise rejected with event.invalid_name, or null when `name` is valid.
  const EVENT_NAME = /^[A-Za-z0-9\-/:_]{1,128}$/;
  function badName(where, name) {
    if (typeof name === 'string' && EVENT_NAME.test(name)) return null;
    return Promise.reject(new IpcError('event.invalid_name', where + ': invalid event name ' +
      (typeof name === 'string' ? JSON.stringify(name) : describe(name)) +
      ': expected 1 to 128 characters from A-Z a-z 0-9 - / : _'));
  }

  function errorText(e) {
    return e && e.message ? e.message : String(e);
  }

  // --- invoke ----------------------------------------------------------------------------

  function invoke(cmd, args = {}, options = {}) {
    if (unavailable) return Promise.reject(new IpcError('bridge.unavailable', unavailable));
    const problem = check(cmd, args, options);
    if (problem) return Promise.reject(new IpcError('args.invalid', 'invoke(): ' + problem));
    const signal = options.signal;
    if (signal && signal.aborted) return Promise.reject(abortError(cmd, signal));

    const msg = { k: 'invoke', id: nextId, cmd, args };
    if (options.headers !== undefined) msg.headers = options.headers;
    let part;
    const carried = [];
    const bin = [];
    try {
      // Serialize now, so a later mutation of `args` cannot change what is sent and a bad
      // value (BigInt, cycle, throwing toJSON) fails this call alone. Bytes are taken out of
      // the JSON (see collectBytes); a later change to their contents is not protected.
      serializing = carried;
      binary = bin;
      part = JSON.stringify(msg, collectBytes);
    } catch (e) {
      binary = null;
      serializing = null;
      return Promise.reject(new IpcError('args.invalid',
        'invoke(' + JSON.stringify(cmd) + '): args cannot be serialized to JSON: ' + errorText(e)));
    }
    serializing = null;
    binary = null;
    if (tooLarge(part)) {
      return Promise.reject(new IpcError('limit.exceeded', 'invoke(' + JSON.stringify(cmd) +
        '): the message is larger than the app accepts (' + maxBatch + ' bytes)'));
    }
    const id = nextId++;
    if (carried.length) callChannels.set(id, carried);
    return new Promise((resolve, reject) => {
      if (!signal) {
        pending.set(id, [resolve, reject]);
      } else {
        pending.set(id, [resolve, reject, signal, cmd]);
        let w = aborts.get(signal);
        if (!w) {
          const ids = new Set();
          w = { ids, onAbort: () => { for (const i of Array.from(ids)) cancel(i); } };
          aborts.set(signal, w);
          signal.addEventListener('abort', w.onAbort);
        }
        w.ids.add(id);
      }
      push(part, id, bin.length ? bin : undefined);
    });
  }

  // A Uint8Array, ArrayBuffer or DataView (from any realm) as a Uint8Array over its bytes, or
  // null for anything else.
  function asBytes(v) {
    if (v === null || typeof v !== 'object') return null;
    if (ArrayBuffer.isView(v)) return new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
    if (v instanceof ArrayBuffer || Object.prototype.toString.call(v) === '[object ArrayBuffer]') return new Uint8Array(v);
    return null;
  }

  // JSON.stringify's replacer while an invoke is serialized: bytes become {"$bytes": index}
  // and are kept aside, to travel as bytes.
  let binary = null;
  function collectBytes(key, value) {
    const b = asBytes(value);
    if (b === null) return value;
    binary.push(b);
    return { $bytes: binary.length - 1 };
  }

  // The replacer for event payloads, which stay JSON: bytes become base64 text (what C++
  // reads into myapp::bytes from JSON).
  function bytesAsBase64(key, value) {
    const b = asBytes(value);
    return b === null ? value : base64(b);
  }

  function cancel(id) {
    const p = take(id);
    if (!p) return;
    cancelled.add(id);
    if (cancelled.size > CANCELLED_MAX) cancelled.delete(cancelled.values().next().value);
    const cancelPart = '{"k":"cancel","id":' + id + '}';
    if (laneIds.delete(id) && lane && laneState === 'open') {
      // The invoke went over the lane: its cancel must not overtake it.
      sendLane([cancelPart], [undefined], [undefined]);
    } else {
      push(cancelPart);
    }
    abandonChannels(id);
    p[1](abortError(p[3], p[2]));
  }

  function abortError(cmd, signal) {
    const r = signal.reason; // an Error from any realm, so no instanceof
    return new IpcError('cancelled', 'invoke(' + JSON.stringify(cmd) + ') was aborted' +
      (r !== null && typeof r === 'object' && typeof r.message === 'string' && r.message ? ': ' + r.message : ''));
  }

  // Removes a pending call, and its signal's listener if it was the last call using it.
  // Returns the call's entry, if it was pending.
  function take(id) {
    const p = pending.get(id);
    if (!p) return p;
    pending.delete(id);
    const signal = p[2];
    if (signal) {
      const w = aborts.get(signal);
      w.ids.delete(id);
      if (w.ids.size === 0) {
        aborts.delete(signal);
        if (typeof signal.removeEventListener === 'function') signal.removeEventListener('abort', w.onAbort);
      }
    }
    return p;
  }

  // --- events ----------------------------------------------------------------------------

  function addListener(where, event, handler, once) {
    if (unavailable) return Promise.reject(new IpcError('bridge.unavailable', unavailable));
    const bad = badName(where, event);
    if (bad) return bad;
    if (typeof handler !== 'function')
      return Promise.reject(new IpcError('args.invalid', where + ': handler must be a function, got ' + describe(handler)));
    if (welcomed && typeof deniedOps.listen === 'string') return Promise.reject(denied(where, 'listen'));
    const rec = { fn: handler, once, dead: false };
    const list = listeners.get(event);
    if (list) {
      listeners.set(event, list.concat(rec));
    } else {
      listeners.set(event, [rec]);
      push('{"k":"listen","event":' + JSON.stringify(event) + '}');
    }
    const unlisten = () => removeListener(event, rec);
    if (welcomed) return Promise.resolve(unlisten);
    // Before the welcome the page does not know yet whether it may listen: the host refuses
    // the listen on its side, and here the listener goes and the promise rejects.
    return ready.then(() => {
      if (typeof deniedOps.listen !== 'string') return unlisten;
      rec.dead = true;
      const rest = (listeners.get(event) || []).filter((r) => r !== rec);
      if (rest.length) listeners.set(event, rest); else listeners.delete(event);
      throw denied(where, 'listen');
    });
  }

  function denied(where, op) {
    return new IpcError('acl.denied', where + ': ' + deniedOps[op]);
  }

  function removeListener(event, rec) {
    if (rec.dead) return;
    rec.dead = true; // a dispatch already under way skips it
    const rest = listeners.get(event).filter((r) => r !== rec);
    if (rest.length) {
      listeners.set(event, rest);
    } else {
      listeners.delete(event);
      push('{"k":"unlisten","event":' + JSON.stringify(event) + '}');
    }
  }

  const listen = (event, handler) => addListener('listen()', event, handler, false);
  const once = (event, handler) => addListener('once()', event, handler, true);

  function sendEmit(where, msg) {
    if (unavailable) return Promise.reject(new IpcError('bridge.unavailable', unavailable));
    const bad = badName(where, msg.event);
    if (bad) return bad;
    let part;
    try {
      part = JSON.stringify(msg, bytesAsBase64); // an undefined payload leaves the key out
    } catch (e) {
      return Promise.reject(new IpcError('args.invalid',
        where + ': the payload of ' + JSON.stringify(msg.event) + ' cannot be serialized to JSON: ' + errorText(e)));
    }
    if (tooLarge(part)) {
      return Promise.reject(new IpcError('limit.exceeded',
        where + ': the event is larger than the app accepts (' + maxBatch + ' bytes)'));
    }
    const op = msg.target === undefined ? 'emit' : 'emitTo';
    if (welcomed && typeof deniedOps[op] === 'string') return Promise.reject(denied(where, op));
    return new Promise((resolve, reject) => {
      // Sent before the welcome: settled once the welcome says whether it was allowed.
      const sent = welcomed ? resolve : () => ready.then(() => {
        if (typeof deniedOps[op] === 'string') reject(denied(where, op)); else resolve();
      }, reject);
      push(part, [sent, reject]);
    });
  }

  const emit = (event, payload) => sendEmit('emit()', { k: 'emit', event, payload });

  function emitTo(target, event, payload) {
    if (typeof target !== 'string' || target === '')
      return Promise.reject(new IpcError('args.invalid', 'emitTo(): target must be a non-empty string, got ' +
        (target === '' ? 'an empty string' : describe(target))));
    return sendEmit('emitTo()', { k: 'emit', event, payload, target });
  }

  function dispatch(m) {
    const list = listeners.get(m.event);
    if (!list) return; // unlistened while the event was on its way
    const ev = { event: m.event, id: m.id, payload: m.payload };
    // `list` is never mutated, so handlers may listen and unlisten freely.
    for (const rec of list) {
      if (rec.dead) continue;
      if (rec.once) removeListener(m.event, rec);
      try {
        rec.fn(ev);
      } catch (e) {
        console.error('myapp: a listener of event ' + JSON.stringify(m.event) + ' threw:', e);
      }
    }
  }

  // --- channels --------------------------------------------------------------------------

  class Channel {
    #state;
    constructor(onmessage) {
      if (onmessage != null && typeof onmessage !== 'function')
        throw new IpcError('args.invalid', 'new Channel(): onmessage must be a function, got ' + describe(onmessage));
      this.onmessage = onmessage || null;
      this.onclose = null;
      // next: index of the next frame to deliver; buf: frames that arrived early, by index;
      // end: frame count from chan_end, -1 before it; credit: consumed frames not yet granted.
      const s = { id: nextChannelId++, ch: this, next: 0, buf: null, end: -1, credit: 0,
        warned: false, done: false, closed: null, resolve: null };
      s.closed = new Promise((r) => { s.resolve = r; });
      this.#state = s;
      channels.set(s.id, s);
    }
    get id() { return this.#state.id; }
    get closed() { return this.#state.closed; }
    toJSON() {
      if (serializing) serializing.push(this.#state);
      return { $channel: this.#state.id };
    }
  }

  // The call that carried these channels will not feed them: it was cancelled, or it failed
  // before its handler ran. Channels that already got something are left to their own end.
  function abandonChannels(id) {
    const carried = callChannels.get(id);
    if (!carried) return;
    callChannels.delete(id);
    for (const s of carried) {
      if (s.done || s.next > 0 || s.end >= 0) continue;
      abandoned.add(s.id);
      if (abandoned.size > CANCELLED_MAX) abandoned.delete(abandoned.values().next().value);
      closeChannel(s);
    }
  }

  function onFrame(m) {
    const s = channels.get(m.ch);
    if (!s) {
      if (abandoned.has(m.ch)) return;
      console.warn('myapp: ignoring a frame for unknown channel', m.ch);
      return;
    }
    const i = m.i;
    if (!Number.isInteger(i) || i < s.next || (s.buf && s.buf.has(i)) || (s.end >= 0 && i >= s.end)) {
      console.warn('myapp: ignoring frame ' + i + ' of channel ' + s.id + ': duplicate or out of range');
      return;
    }
    if (i !== s.next) {
      (s.buf || (s.buf = new Map())).set(i, m.data);
      return;
    }
    deliverFrame(s, m.data);
    if (s.buf) {
      while (s.buf.has(s.next)) {
        const data = s.buf.get(s.next);
        s.buf.delete(s.next);
        deliverFrame(s, data);
      }
      if (s.buf.size === 0) s.buf = null;
    }
    if (s.end >= 0 && s.next >= s.end) closeChannel(s);
  }

  function deliverFrame(s, data) {
    s.next++;
    const f = s.ch.onmessage;
    if (typeof f !== 'function') {
      if (!s.warned) {
        s.warned = true;
        console.warn('myapp: channel ' + s.id + ' has no onmessage: dropping its frames');
      }
      grant(s);
      return;
    }
    try {
      const r = f.call(s.ch, data);
      if (r && typeof r.then === 'function') {
        Promise.resolve(r).then(() => grant(s), (e) => {
          console.error('myapp: onmessage of channel ' + s.id + ' rejected:', e);
          grant(s);
        });
        return;
      }
    } catch (e) {
      console.error('myapp: onmessage of channel ' + s.id + ' threw:', e);
    }
    grant(s);
  }

  function grant(s) {
    if (s.done) return;
    if (s.credit++ === 0) {
      creditDue.push(s);
      schedule();
    }
  }

  function onChannelEnd(m) {
    const s = channels.get(m.ch);
    if (!s) {
      if (abandoned.delete(m.ch)) return;
      console.warn('myapp: ignoring chan_end for unknown channel', m.ch);
      return;
    }
    if (s.end >= 0 || !Number.isInteger(m.i) || m.i < s.next) {
      console.warn('myapp: ignoring chan_end of channel ' + s.id + ' with frame count', m.i);
      return;
    }
    s.end = m.i;
    if (s.next >= s.end) closeChannel(s);
  }

  function closeChannel(s) {
    s.done = true;
    s.buf = null;
    channels.delete(s.id);
    const f = s.ch.onclose;
    if (typeof f === 'function') {
      try {
        f.call(s.ch);
      } catch (e) {
        console.error('myapp: onclose of channel ' + s.id + ' threw:', e);
      }
    }
    s.resolve();
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
    for (const m of batch) receive(m);
  }

  function handleSafe(m) {
    try {
      handle(m);
    } catch (e) {
      console.error('myapp: failed to handle message from host:', e);
    }
  }

  // Messages are handled in the order they came; one that must fetch its blobs first holds
  // back the ones after it. The fetches themselves start at once, so a run of blob-carrying
  // messages (a file streamed through a channel) costs one round trip, not one per message.
  function receive(m) {
    // Until the welcome, what arrives was meant for the document this one replaced (answers
    // and frames already on their way when it reloaded): its ids would collide with ours.
    if (!welcomed && !(m !== null && typeof m === 'object' && (m.k === 'welcome' || m.k === 'fault'))) {
      droppedBeforeWelcome += 1;
      return;
    }
    const fetches = m !== null && typeof m === 'object' && (m.k === 'big' || Array.isArray(m.bin));
    if (!inbound && !fetches) {
      handleSafe(m);
      return;
    }
    const prepared = fetches ? prepare(m) : Promise.resolve(m);
    prepared.catch(() => {});  // handled in order below; this only marks it handled
    const p = (inbound || Promise.resolve()).then(() => prepared).then(handleSafe, (e) => lost(m, e));
    inbound = p;
    p.then(() => { if (inbound === p) inbound = null; });
  }

  // The message with its bytes in place: a `big` message is fetched and parsed; `bin` entries
  // are decoded or fetched, and every {"$bytes": i} in the value becomes an ArrayBuffer.
  async function prepare(m) {
    if (m.k === 'big') {
      const inner = JSON.parse(await fetchBlob(m.blob, 'text', m.n));
      return Array.isArray(inner.bin) ? prepare(inner) : inner;
    }
    if (!Array.isArray(m.bin)) return m;
    const buffers = await Promise.all(m.bin.map((e) => {
      if (e && typeof e.b64 === 'string') return fromBase64(e.b64);
      if (e && typeof e.blob === 'string') return fetchBlob(e.blob, 'arraybuffer', e.n);
      throw new IpcError('protocol.invalid', 'a binary attachment with neither b64 nor blob');
    }));
    if (m.k === 'result') m.ok = revive(m.ok, buffers);
    else if (m.k === 'chan') m.data = revive(m.data, buffers);
    return m;
  }

  function revive(v, buffers) {
    if (v === null || typeof v !== 'object') return v;
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) v[i] = revive(v[i], buffers);
      return v;
    }
    const keys = Object.keys(v);
    if (keys.length === 1 && keys[0] === '$bytes' && Number.isInteger(v.$bytes)) {
      const b = buffers[v.$bytes];
      if (b !== undefined) return b;
    }
    for (const k of keys) v[k] = revive(v[k], buffers);
    return v;
  }

  function fromBase64(text) {
    const s = atob(text);
    const a = new Uint8Array(s.length);
    for (let i = 0; i < s.length; i++) a[i] = s.charCodeAt(i);
    return a.buffer;
  }

  // GET of a blob from the app scheme: XMLHttpRequest (Qt < 6.6 refuses fetch() on custom
  // schemes), or fetch when the host says it works.
  function fetchBlob(token, type, size) {
    const url = blobBase + token;
    const failed = (why) => new IpcError('transport.failed', 'could not fetch ' + (type === 'text' ? 'a large message' : size + ' bytes') +
      ' from the app (' + why + '); if the page sets its own Content-Security-Policy, its connect-src must allow \'self\'');
    if (useFetch) {
      return fetch(url).then((r) => {
        if (!r.ok) throw failed('status ' + r.status);
        return type === 'text' ? r.text() : r.arrayBuffer();
      }, (e) => { throw failed(errorText(e)); });
    }
    return new Promise((resolve, reject) => {
      const x = new XMLHttpRequest();
      x.open('GET', url);
      x.responseType = type;
      x.onload = () => {
        if (x.status === 200 && x.response !== null) resolve(x.response);
        else reject(failed('status ' + x.status));
      };
      x.onerror = () => reject(failed('network error'));
      x.send();
    });
  }

  // A message whose blobs could not be fetched: its call fails; a channel frame is lost, and
  // the channel with it.
  function lost(m, e) {
    const error = e instanceof IpcError ? e : new IpcError('transport.failed', errorText(e));
    console.error('myapp: ' + error.message);
    if (m.k === 'result' || m.k === 'error') {
      const p = take(m.id);
      if (p) p[1](error);
    } else if (m.k === 'chan') {
      const s = channels.get(m.ch);
      if (s) closeChannel(s);
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
        if (m.denied !== null && typeof m.denied === 'object') deniedOps = m.denied;
        if (droppedBeforeWelcome > 0) {
          console.info('myapp: dropped ' + droppedBeforeWelcome + ' message(s) meant for the previous page');
        }
        if (m.limits && Number.isInteger(m.limits.batch) && m.limits.batch > 0) maxBatch = m.limits.batch;
        if (typeof m.blobs === 'string') blobBase = m.blobs;
        useFetch = m.fetch === true;
        if (typeof m.lane === 'string' && typeof WebSocket === 'function') laneUrl = m.lane;
        if (m.thresholds) {
          if (Number.isInteger(m.thresholds.laneJson)) laneJson = m.thresholds.laneJson;
          if (Number.isInteger(m.thresholds.laneBytes)) laneBytes = m.thresholds.laneBytes;
          if (Number.isInteger(m.thresholds.laneMax)) laneMax = m.thresholds.laneMax;
        }
        resolveReady(Object.freeze({ label: m.label, version: m.v }));
        push('{"k":"ready"}');
        return;

      case 'result':
      case 'error': {
        laneIds.delete(m.id);
        const p = take(m.id);
        if (m.k === 'error' && m.error && NOT_RUN.has(m.error.code)) {
          abandonChannels(m.id);
        } else {
          callChannels.delete(m.id);
        }
        if (!p) {
          if (!cancelled.delete(m.id)) console.warn('myapp: ignoring ' + m.k + ' for unknown id', m.id);
          return;
        }
        if (m.k === 'result') {
          p[0](m.ok);
        } else {
          const e = m.error || {};
          p[1](new IpcError(String(e.code), String(e.message), e.data));
        }
        return;
      }

      case 'event':
        if (typeof m.event !== 'string') {
          console.warn('myapp: ignoring an event without a name:', m.event);
          return;
        }
        dispatch(m);
        return;

      case 'chan':
        onFrame(m);
        return;

      case 'chan_end':
        onChannelEnd(m);
        return;

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
    const metas = queueMeta;
    queue = [];
    queueMeta = [];
    queueBin = [];
    for (const id of Array.from(pending.keys())) take(id)[1](new IpcError('bridge.unavailable', message));
    for (const m of metas) if (Array.isArray(m)) m[1](new IpcError('bridge.unavailable', message));
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
      fail('could not open the web channel: ' + errorText(e));
    }
  } else {
    fail('qt.webChannelTransport is missing: this page is not running inside a myapp webview');
  }

  // Opens Chromium's devtools for this window; refused (`devtools.disabled`) outside dev mode.
  const openDevtools = () => invoke('plugin:devtools|open');

  Object.defineProperty(globalThis, '__MYAPP__', {
    value: Object.freeze({ version: VERSION, invoke, ready, IpcError, listen, once, emit, emitTo, Channel, openDevtools }),
    enumerable: false,
    writable: false,
    configurable: false,
  });
})();
