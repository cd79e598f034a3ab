// The page client's closing: connects, defines the frozen global `__MYAPP__` and ends the
// closure client/prologue.js opened.

  connect();

  Object.defineProperty(globalThis, '__MYAPP__', {
    value: Object.freeze({ version: VERSION, invoke, ready, IpcError, listen, once, emit, emitTo, Channel, openDevtools }),
    enumerable: false,
    writable: false,
    configurable: false,
  });
})();
