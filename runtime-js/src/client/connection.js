// The page client's connection: the handshake (hello, welcome, ready), a fault from the host, and
// failing everything when there is no bridge. Opening the connection is the transport's
// (client/webchannel.js, or client/relay.js under an isolation hook).

  let bridge = null;      // what carries our batches once connected: the `myapp` QWebChannel object, or the relay
  let unavailable = '';   // why there is no bridge, once we know it cannot exist
  let welcomed = false;
  let droppedBeforeWelcome = 0;
  // The event operations the page's capabilities refuse ({listen, emit, emitTo}: the reason),
  // from the welcome.
  let deniedOps = {};

  let resolveReady, rejectReady;
  const ready = new Promise((res, rej) => { resolveReady = res; rejectReady = rej; });
  ready.catch(() => {}); // a page that never looks at `ready` must not log an unhandled rejection

  // The host's `welcome`: what the page may do, its limits, and where bytes travel
  // (docs/bytes.md: `blobs`, a URL prefix on the app origin where the page fetches large
  // results; the lane's address and thresholds, read by client/lane.js).
  function onWelcome(m) {
    if (welcomed) {
      console.warn('myapp: ignoring repeated welcome');
      return;
    }
    welcomed = true;
    if (m.denied !== null && typeof m.denied === 'object') deniedOps = m.denied;
    if (droppedBeforeWelcome > 0) {
      console.info('myapp: dropped ' + droppedBeforeWelcome + ' message(s) meant for the previous page');
    }
    limitsWelcome(m);
    if (typeof m.blobs === 'string') blobBase = m.blobs;
    useFetch = m.fetch === true;
    laneWelcome(m);
    resolveReady(Object.freeze({ label: m.label, version: m.v }));
    push(readyMsg());
  }

  // A `fault`: the host could not read an id from something we sent, so no call can be failed.
  function onFault(m) {
    const e = m.error || {};
    console.error('myapp: host reported a fault: [' + e.code + '] ' + e.message);
    // A host that does not speak our protocol version will answer nothing.
    if (e.code === 'protocol.version') fail(String(e.message));
  }

  // There is no bridge and there will be none: every call, queued or pending, fails with `message`.
  function fail(message) {
    unavailable = message;
    const [, metas] = takeQueue(); // nothing of it will be sent
    for (const id of Array.from(pending.keys())) take(id)[1](new IpcError('bridge.unavailable', message));
    for (const m of metas) if (Array.isArray(m)) m[1](new IpcError('bridge.unavailable', message));
    rejectReady(new IpcError('bridge.unavailable', message));
  }
