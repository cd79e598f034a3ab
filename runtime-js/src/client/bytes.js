// Bytes in page values: finding them, base64 both ways, and the UTF-8 length of a string.

  const utf8Encoder = new TextEncoder();
  // ignoreBOM: a string that begins with U+FEFF keeps it (by default the decoder would take it
  // for a byte order mark and drop it).
  const utf8Decoder = new TextDecoder('utf-8', { ignoreBOM: true });

  // Bytes of `s` in UTF-8 (the host's limits count those).
  function utf8Length(s) {
    let n = s.length;
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c >= 0x80) n += c >= 0x800 && (c < 0xd800 || c > 0xdfff) ? 2 : 1;
    }
    return n;
  }

  // A Uint8Array, ArrayBuffer or DataView (from any realm) as a Uint8Array over its bytes, or
  // null for anything else.
  function asBytes(v) {
    if (v === null || typeof v !== 'object') return null;
    if (ArrayBuffer.isView(v)) return new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
    if (v instanceof ArrayBuffer || Object.prototype.toString.call(v) === '[object ArrayBuffer]') return new Uint8Array(v);
    return null;
  }

  // Base64 of a Uint8Array, in chunks (String.fromCharCode takes a bounded argument count).
  function base64(a) {
    let s = '';
    for (let i = 0; i < a.length; i += 0x8000) s += String.fromCharCode.apply(null, a.subarray(i, i + 0x8000));
    return btoa(s);
  }

  // The text of a long string attachment (docs/protocol.md, {"$str": i}): its bytes as UTF-8.
  function textOf(buffer) {
    return utf8Decoder.decode(buffer);
  }

  function fromBase64(text) {
    const s = atob(text);
    const a = new Uint8Array(s.length);
    for (let i = 0; i < s.length; i++) a[i] = s.charCodeAt(i);
    return a.buffer;
  }
