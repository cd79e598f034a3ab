// The text of the wire protocol on the page side: its version, and how bytes are written into
// messages and read back out of them (docs/protocol.md, docs/bytes.md).
//
// The protocol constants here and in framework/core/include/myapp/protocol.hpp must change
// together, with `VERSION`.

  const VERSION = 1;

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

  // `part` (a JSON object's text) with a `bin` list added.
  function withBin(part, entries) {
    return part.slice(0, -1) + ',"bin":[' + entries.join(',') + ']}';
  }

  // A received value with every {"$bytes": i} in it replaced by the buffer `buffers[i]`.
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
