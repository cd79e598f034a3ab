// The page client's closing: connects, defines the frozen global `__MYAPP__` and ends the
// closure client/prologue.js opened.

  connect();

  const api = { version: VERSION, label: LABEL, invoke, ready, IpcError, listen, once, emit, emitTo, Channel, openDevtools };
  // The modules of @myapp/api as namespaces (`__MYAPP__.core.invoke`, ...; the config's
  // app.withGlobalMyapp), when the host passed them: a function the host built from the
  // embedded modules (cmake/bundle_api.cmake), handed this very object as their client.
  // eslint-disable-next-line no-undef
  if (typeof __myapp_namespaces === 'function') {
    try {
      // eslint-disable-next-line no-undef
      Object.assign(api, __myapp_namespaces(api));
    } catch (e) {
      console.error('myapp: the namespaces of __MYAPP__ could not be built:', e);
    }
  }
  Object.defineProperty(globalThis, '__MYAPP__', {
    value: Object.freeze(api),
    enumerable: false,
    writable: false,
    configurable: false,
  });
})();
