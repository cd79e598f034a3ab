// The page client's incoming side: the batches C++ delivers, each message handled in the order
// it came, after the bytes it refers to are decoded or fetched from the app, and handed to the
// part of the client its kind is for.

  // Where the page fetches large results, from the welcome (a URL prefix on the app origin),
  // and whether fetch() works there.
  let blobBase = '';
  let useFetch = false;
  let inbound = null;        // while messages wait for their blobs: the chain that orders them

  function onDeliver(text) {
    const batch = readBatch(text);
    if (batch) for (const m of batch) receive(m);
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
    else if (m.k === 'error' && 'value' in m) m.value = revive(m.value, buffers);
    else if (m.k === 'chan') m.data = revive(m.data, buffers);
    return m;
  }

  // GET of a blob from the app scheme: XMLHttpRequest (Qt < 6.6 refuses fetch() on custom
  // schemes), or fetch when the host says it works.
  function fetchBlob(token, type, size) {
    const url = blobBase + token;
    const failed = (why) => {
      const e = new IpcError('transport.failed', 'could not fetch ' + (type === 'text' ? 'a large message' : size + ' bytes') +
        ' from the app (' + why + '); if the page sets its own Content-Security-Policy, its connect-src must allow \'self\'');
      e.token = token;  // the host frees it when told (lost)
      return e;
    };
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

  // A message whose blobs could not be fetched or read (a page CSP refusing the app's own
  // origin, a string past V8's limit, ...): its call fails with transport.failed, a channel
  // frame is lost and the channel closes with it, and the host frees the blob. A `big` message
  // says which call or channel it carries, so that nothing stays pending.
  function lost(m, e) {
    const error = e instanceof IpcError ? e : new IpcError('transport.failed',
      'could not read a message from the app: ' + errorText(e));
    console.error('myapp: ' + error.message);
    if (typeof e.token === 'string') push(lostMsg(e.token));
    const carried = m.k === 'big';
    const id = m.k === 'result' || m.k === 'error' || carried ? m.id : undefined;
    const ch = m.k === 'chan' || carried ? m.ch : undefined;
    if (Number.isInteger(id)) {
      onAnswer({ k: 'error', id, error: { code: error.code, message: error.message } });
    } else if (Number.isInteger(ch)) {
      const s = channels.get(ch);
      if (s) closeChannel(s);
    }
  }

  function handle(m) {
    if (m === null || typeof m !== 'object') {
      console.warn('myapp: ignoring non-object message from host:', m);
      return;
    }
    switch (m.k) {
      case 'welcome': onWelcome(m); return;
      case 'result':
      case 'error': onAnswer(m); return;
      case 'event': onEvent(m); return;
      case 'chan': onFrame(m); return;
      case 'chan_end': onChannelEnd(m); return;
      case 'fault': onFault(m); return;
      default:
        console.warn('myapp: ignoring message of unknown kind', m.k);
    }
  }
