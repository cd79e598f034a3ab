// The page client's opening: the closure every part of it shares (see ../client.list).
//
// myapp page client, wire protocol v1 (see docs/protocol.md). Injected by the C++ side into
// every page at document creation, in the main world, right after Qt's qwebchannel.js. Classic
// script, no dependencies, made of the parts ../client.list names, joined in its order into one
// function body, so what one part declares the others see and nothing reaches `window` but the
// frozen global `__MYAPP__` = { version, label, invoke, ready, IpcError, listen, once, emit,
// emitTo, Channel, openDevtools }, with the modules of @myapp/api as namespaces (core, event,
// window, ...), that client/epilogue.js defines.
(function () {
  'use strict';

  if (globalThis.__MYAPP__) return; // injected twice into the same world: keep the first

  // The per-page secret, when the host wrapped this script to pass one: every post carries it,
  // so that a context that did not get this client cannot talk to the bridge. It lives only in
  // this closure, never on `window`.
  // eslint-disable-next-line no-undef
  const SECRET = typeof __myapp_secret === 'string' ? __myapp_secret : '';
  // The label of this page's window, when the host passed it.
  // eslint-disable-next-line no-undef
  const LABEL = typeof __myapp_label === 'string' ? __myapp_label : undefined;
