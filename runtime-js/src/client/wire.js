// The text of the wire protocol on the page side: its version, every message the page sends,
// how bytes are written into messages and read back out, and the reading of a delivered batch
// (docs/protocol.md, docs/bytes.md). No other part writes a message's text.
//
// The protocol constants here and in framework/core/include/myapp/protocol.hpp must change
// together, with `VERSION`.

  const VERSION = 1;

  // Strings at least this long in an invoke's args travel as raw UTF-8 attachments, written
  // {"$str": i}, when the bulk lane can carry them (protocol.hpp, TEXT_ATTACHMENT_MIN: change
  // together). Infinity (never) until a welcome names a lane, and again if the lane fails.
  const TEXT_ATTACHMENT_MIN = 4 * 1024;
  let textMin = Infinity;

  function helloMsg() { return '{"k":"hello","v":' + VERSION + '}'; }
  function readyMsg() { return '{"k":"ready"}'; }
  function cancelMsg(id) { return '{"k":"cancel","id":' + id + '}'; }
  function lostMsg(token) { return '{"k":"lost","blob":' + JSON.stringify(String(token)) + '}'; }
  function creditMsg(ch, n) { return '{"k":"credit","ch":' + ch + ',"n":' + n + '}'; }
  function listenMsg(event) { return '{"k":"listen","event":' + JSON.stringify(event) + '}'; }
  function unlistenMsg(event) { return '{"k":"unlisten","event":' + JSON.stringify(event) + '}'; }

  // While an invoke is serialized: the channels its args carry (Channel's toJSON adds itself)
  // and the buffers taken out of them.
  let serializing = null;
  let binary = null;

  // An invoke's text. Bytes anywhere in `args` go into `bin` and are written {"$bytes": index},
  // to travel as bytes, and so do strings of `textMin` UTF-16 units or more, written
  // {"$str": index} (kept in `bin` as strings; the lane sends their UTF-8); the channels in it
  // are added to `carried`. `args` that are bytes
  // themselves are a raw body (Tauri's InvokeBody::Raw), the handler's request.body(). With
  // `bin` null the caller knows `args` holds neither (the isolation world does), and it is
  // written as it is. Throws what JSON.stringify throws (BigInt, cycle, throwing toJSON).
  function invokeMsg(id, cmd, args, headers, carried, bin) {
    const body = bin === null || args === undefined || isPlain(args) ? null : asBytes(args);
    if (body !== null) {
      // A raw body: it travels as the invoke's first attachment, in place of `args`.
      bin.push(body);
      return JSON.stringify(headers === undefined
        ? { k: 'invoke', id, cmd, body: 0 }
        : { k: 'invoke', id, cmd, body: 0, headers });
    }
    const msg = { k: 'invoke', id, cmd, args };
    if (headers !== undefined) msg.headers = headers;
    if (bin === null || plainWithoutBytes(args)) return JSON.stringify(msg);
    serializing = carried;
    binary = bin;
    try {
      return JSON.stringify(msg, collectBytes);
    } finally {
      serializing = null;
      binary = null;
    }
  }

  // True when `v` is made of primitives, plain objects and arrays only, so it holds no bytes,
  // no channels and no string long enough to be an attachment, and JSON.stringify needs no
  // replacer: a walk much cheaper than the replacer (which is called for every value). Anything else (bytes, class instances, a
  // toJSON, a value too large or too deep to walk) answers false and takes the replacer.
  function plainWithoutBytes(v) {
    walkBudget = 4096;
    return plainWalk(v, 0);
  }
  let walkBudget = 0;
  function plainWalk(v, depth) {
    if (v === null || typeof v !== 'object') return true;
    if (--walkBudget < 0 || depth > 64) return false;
    if (Array.isArray(v)) {
      if (Object.getPrototypeOf(v) !== Array.prototype) return false;
      for (let i = 0; i < v.length; i++) {
        const e = v[i];
        if (e !== null && typeof e === 'object') {
          if (!plainWalk(e, depth + 1)) return false;
        } else if (typeof e === 'string' && e.length >= textMin) {
          return false;
        }
      }
      return true;
    }
    const proto = Object.getPrototypeOf(v);
    if ((proto !== Object.prototype && proto !== null) || typeof v.toJSON === 'function') return false;
    for (const k in v) {
      const e = v[k];
      if (e !== null && typeof e === 'object') {
        if (!plainWalk(e, depth + 1)) return false;
      } else if (typeof e === 'string' && e.length >= textMin) {
        return false;
      }
    }
    return true;
  }

  // JSON.stringify's replacer while an invoke is serialized: bytes become {"$bytes": index}
  // and long strings {"$str": index}, kept aside to travel as bytes.
  function collectBytes(key, value) {
    if (typeof value === 'string') {
      if (value.length < textMin) return value;
      binary.push(value);
      return { $str: binary.length - 1 };
    }
    const b = asBytes(value);
    if (b === null) return value;
    binary.push(b);
    return { $bytes: binary.length - 1 };
  }

  // An emit's text (to every listener, or to the webview `target`). The payload stays JSON:
  // bytes in it become base64 text (what C++ reads into myapp::bytes from JSON); an undefined
  // payload leaves the key out. Throws what JSON.stringify throws.
  function emitMsg(event, payload, target) {
    const msg = target === undefined ? { k: 'emit', event, payload } : { k: 'emit', event, payload, target };
    return JSON.stringify(msg, bytesAsBase64);
  }

  function bytesAsBase64(key, value) {
    const b = asBytes(value);
    return b === null ? value : base64(b);
  }

  // `part` (a JSON object's text) with the `bin` list of its buffers added: each one inline as
  // base64 (a string as its UTF-8), or as {"lane": k} when `onLane` (if given) sent it over the
  // lane as its k-th buffer; `onLane` returns -1 for a buffer it leaves inline.
  function withBin(part, buffers, onLane) {
    const entries = buffers.map((a) => {
      const k = onLane ? onLane(a) : -1;
      if (k >= 0) return '{"lane":' + k + '}';
      return '{"b64":"' + base64(typeof a === 'string' ? utf8Encoder.encode(a) : a) + '"}';
    });
    return part.slice(0, -1) + ',"bin":[' + entries.join(',') + ']}';
  }

  // A batch's text: its messages' texts in a JSON array.
  function batchText(parts) {
    return '[' + parts.join(',') + ']';
  }

  // The messages of a batch C++ delivered, or null (logged) when it is not a JSON array.
  function readBatch(text) {
    let batch;
    try {
      batch = JSON.parse(text);
    } catch (e) {
      console.error('myapp: malformed batch from host (not JSON):', e && e.message);
      return null;
    }
    if (!Array.isArray(batch)) {
      console.error('myapp: malformed batch from host (not an array)');
      return null;
    }
    return batch;
  }

  // A received value with every {"$bytes": i} in it replaced by the buffer `buffers[i]`, and
  // every {"$str": i} by that buffer's text.
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
    if (keys.length === 1 && keys[0] === '$str' && Number.isInteger(v.$str)) {
      const b = buffers[v.$str];
      if (b !== undefined) return textOf(b);
    }
    for (const k of keys) v[k] = revive(v[k], buffers);
    return v;
  }
