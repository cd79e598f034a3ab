// The page client's argument checks: what invoke() and the event functions accept, and how a
// refused value is described in the error.

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
    if (args !== undefined && !isPlain(args) && asBytes(args) === null)
      return 'args must be a plain object, a raw body (an ArrayBuffer, a typed array or a ' +
        'DataView) or undefined, got ' + describe(args);
    if (!isPlain(options))
      return 'options must be a plain object or undefined, got ' + describe(options);
    const h = options.headers;
    if (h !== undefined && !isHeaders(h)) {
      if (!isPlain(h)) return 'options.headers must be a Headers or a plain object of strings, got ' + describe(h);
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

  // A fetch-style Headers (from any realm): its entries are strings already.
  function isHeaders(h) {
    return h !== null && typeof h === 'object' && typeof h.forEach === 'function' &&
      typeof h.get === 'function' && typeof h.has === 'function' && !isPlain(h);
  }

  // The headers to send: a plain object of strings (names as given; C++ compares them without
  // regard to case), or undefined.
  function headersObject(h) {
    if (h === undefined || !isHeaders(h)) return h;
    const out = {};
    h.forEach((value, name) => { out[name] = String(value); });
    return out;
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
