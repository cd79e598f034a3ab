// The isolation world (docs/security.md): the app's hook, `__MYAPP_ISOLATION_HOOK__`, sees every
// message the page sends and returns it, changed or not, or refuses it; only what it lets
// through reaches the transport, which lives here with the web channel and the bulk lane, out of
// the page's reach. The page's client hands its batches over through client/relay.js; this side
// re-encodes each message from what the hook returned, so nothing else rides along.

  class IpcError extends Error {
    constructor(code, message) {
      super(message);
      this.code = code;
    }
  }

  const RELAY_OUT = 'myapp-relay-out'; // from the page's world
  const RELAY_IN = 'myapp-relay-in';   // to it
  const HOOK = '__MYAPP_ISOLATION_HOOK__';
  const LANE_IDS_MAX = 4096;

  let bridge = null;   // the `myapp` QWebChannel object once connected
  let down = '';       // why there is no bridge, once known
  let waiting = [];    // screened batches, [parts, metas, bins], waiting for the channel
  let welcomed = false;
  let readySent = false;
  let chain = null;    // while a hook answers asynchronously: what the next batches wait for

  function relayTo(detail) {
    document.dispatchEvent(new CustomEvent(RELAY_IN, { detail }));
  }

  // What became of the messages, handed back in one event per microtask: `done` and `failed`
  // by the page's sequence numbers, `ids` by invoke id.
  let reports = null;
  function report(kind, entry) {
    if (!reports) {
      reports = { k: 'verdicts', done: [], failed: [], ids: [] };
      queueMicrotask(() => {
        const r = reports;
        reports = null;
        relayTo(r);
      });
    }
    reports[kind].push(entry);
  }

  // What client/transport.js and client/lane.js report a lost message through, here: to the
  // page's world. A message's meta is its invoke id, or [sent, lost] for one whose sending the
  // page waits for, or undefined.
  function failPart(meta, error) {
    if (typeof meta === 'number') report('ids', [meta, error.code, error.message]);
    else if (Array.isArray(meta)) meta[1](error);
  }

  function reporter(seq) {
    if (!(seq > 0)) return undefined;
    return [() => report('done', seq), (e) => report('failed', [seq, e.code, e.message])];
  }

  // There is no web channel and there will be none.
  function fail(message) {
    down = message;
    for (const [, metas] of waiting) settle(metas, new IpcError('bridge.unavailable', message));
    waiting = [];
    relayTo({ k: 'down', message });
  }

  // The channel is open: the hello first, then what waited for it.
  function flush() {
    send([helloMsg()], [undefined], [undefined]);
    const w = waiting;
    waiting = [];
    for (const [parts, metas, bins] of w) send(parts, metas, bins);
  }

  // What the host delivers goes to the page as it is (a string: the event's only other details
  // are objects), but for the welcome's lane address, which carries the lane's secret: the lane
  // is this world's.
  function onDeliver(text) {
    if (!welcomed) {
      const batch = readBatch(text);
      if (batch) {
        for (const m of batch) {
          if (m === null || typeof m !== 'object' || m.k !== 'welcome') continue;
          welcomed = true;
          limitsWelcome(m);
          laneWelcome(m);
          delete m.lane;
        }
        text = JSON.stringify(batch);
      }
    }
    relayTo(text);
  }

  const describeMessage = (m) => (m.k === 'emit' && typeof m.target === 'string' ? 'emitTo' : String(m.k)) +
    (typeof m.cmd === 'string' ? '(' + JSON.stringify(m.cmd) + ')' : typeof m.event === 'string' ? '(' + JSON.stringify(m.event) + ')' : '');

  // A message the hook (or the relay) refused: its call or emit fails with `code`.
  function refuse(m, seq, why, code = 'isolation.refused') {
    const text = 'the isolation hook refused ' + describeMessage(m) + ': ' + why;
    console.warn('myapp: ' + text);
    if (m.k === 'invoke' && Number.isInteger(m.id) && m.id > 0) report('ids', [m.id, code, text]);
    else if (seq > 0) report('failed', [seq, code, text]);
    return null;
  }

  const isName = (v) => typeof v === 'string' && EVENT_NAME.test(v);
  const isCount = (v) => Number.isInteger(v) && v > 0;
  const isLabel = (v) => typeof v === 'string' && v !== '';
  function isHeaders(h) {
    return h === undefined || (isPlain(h) && Object.keys(h).every((k) => typeof h[k] === 'string'));
  }

  // True for what JSON.parse makes an object of (not an array).
  const isRecord = (v) => typeof v === 'object' && v !== null && !Array.isArray(v);

  // True when `v` holds bytes anywhere, or is too deep to tell: then the invoke is written with
  // JSON.stringify's replacer, which finds them; walking is much cheaper than the replacer.
  function holdsBytes(v, depth = 0) {
    if (typeof v !== 'object' || v === null) return false;
    if (ArrayBuffer.isView(v) || v instanceof ArrayBuffer || depth > 32) return true;
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) if (holdsBytes(v[i], depth + 1)) return true;
      return false;
    }
    for (const k in v) if (holdsBytes(v[k], depth + 1)) return true;
    return false;
  }

  // What the hook sees of a message the page sent, or a string saying why it is malformed.
  function viewOf(m, bin) {
    switch (m.k) {
      case 'invoke':
        if (!isCount(m.id) || typeof m.cmd !== 'string' || !isHeaders(m.headers)) return 'a malformed invoke';
        if (m.body !== undefined) {
          // A raw body: the invoke's first attachment, in place of args.
          if (m.body !== 0 || m.args !== undefined || !Array.isArray(bin) || bin[0] === undefined) return 'a malformed invoke';
          return { kind: 'invoke', cmd: m.cmd, body: bin[0], headers: m.headers };
        }
        if (!isRecord(m.args)) return 'a malformed invoke';
        return { kind: 'invoke', cmd: m.cmd, args: Array.isArray(bin) ? revive(m.args, bin) : m.args, headers: m.headers };
      case 'emit':
        if (!isName(m.event) || !(m.target === undefined || isLabel(m.target))) return 'a malformed emit';
        return { kind: 'emit', event: m.event, payload: m.payload, target: m.target };
      case 'listen':
      case 'unlisten':
        return isName(m.event) ? { kind: m.k, event: m.event } : 'a malformed ' + m.k;
      case 'cancel':
        return isCount(m.id) ? { kind: 'cancel', id: m.id } : 'a malformed cancel';
      case 'credit':
        return isCount(m.ch) && isCount(m.n) ? { kind: 'credit', channel: m.ch, n: m.n } : 'a malformed credit';
      default:
        return 'a message of unknown kind';
    }
  }

  const returned = (m, seq, what) => refuse(m, seq, 'the hook returned ' + what);

  // The message `m` as the hook returned it (`v`), written anew: {part, meta, bin}, or null.
  function accept(m, seq, v) {
    if (!v || v instanceof Error) return refuse(m, seq, v ? errorText(v) : 'the hook returned ' + String(v));
    const bad = (what) => returned(m, seq, what);
    if (v.kind !== m.k) return bad('a message of another kind (' + describe(v.kind) + ')');
    let part;
    let bin;
    let meta = reporter(seq);
    try {
      switch (m.k) {
        case 'invoke': {
          if (v.body !== undefined) {
            if (!isLabel(v.cmd) || asBytes(v.body) === null || !isHeaders(v.headers)) return bad('an invoke without a command name, a raw body of bytes or string headers');
            bin = [];
            part = invokeMsg(m.id, v.cmd, v.body, v.headers, [], bin);
            meta = m.id;
            break;
          }
          const args = v.args === undefined ? {} : v.args;
          // Args the hook kept are the page's, which JSON.parse made: plain already.
          if (!isLabel(v.cmd) || !(args === m.args || isPlain(args)) || !isHeaders(v.headers)) return bad('an invoke without a command name, plain args or string headers');
          bin = holdsBytes(args) ? [] : null;
          part = invokeMsg(m.id, v.cmd, args, v.headers, [], bin);
          meta = m.id;
          break;
        }
        case 'emit':
          if (!isName(v.event) || !(v.target === undefined || isLabel(v.target))) return bad('an emit with an invalid event name or target');
          part = emitMsg(v.event, v.payload, v.target);
          break;
        case 'listen':
        case 'unlisten':
          if (!isName(v.event)) return bad('an invalid event name');
          part = m.k === 'listen' ? listenMsg(v.event) : unlistenMsg(v.event);
          break;
        case 'cancel':
          if (!isCount(v.id)) return bad('an invalid id');
          part = cancelMsg(v.id);
          if (cancelOnLane(v.id, part)) return null; // the call went over the lane: so does its cancel
          break;
        default: // credit
          if (!isCount(v.channel) || !isCount(v.n)) return bad('an invalid channel or count');
          part = creditMsg(v.channel, v.n);
      }
    } catch (e) {
      return bad('a message that cannot be written as JSON: ' + errorText(e));
    }
    if (tooLarge(part, bin)) return refuse(m, seq, 'it is larger than the app accepts (' + maxBatch + ' bytes)', 'limit.exceeded');
    return { part, meta, bin: bin && bin.length ? bin : undefined };
  }

  // One message of the page's, parsed (`m`, or undefined when it is not JSON), shown to the hook,
  // and written anew from its answer. Returns {part, meta, bin}, null (refused, or not for the
  // host), or a promise of either.
  function screen(m, bin, seq) {
    if (m === undefined || m === null || typeof m !== 'object' || Array.isArray(m)) return refuse({ k: 'message' }, seq, 'it is not a JSON object');
    if (m.k === 'hello') return null; // this world greets the host itself
    if (m.k === 'ready') {
      if (!welcomed || readySent) return null;
      readySent = true;
      return { part: readyMsg(), meta: undefined, bin: undefined };
    }
    // The transport's own bookkeeping, not an operation of the page's: a blob it could not
    // fetch, for the host to free.
    if (m.k === 'lost') {
      return typeof m.blob === 'string' && m.blob.length <= 64
        ? { part: lostMsg(m.blob), meta: undefined, bin: undefined }
        : refuse(m, seq, 'a malformed lost');
    }
    const view = viewOf(m, bin);
    if (typeof view === 'string') return refuse(m, seq, view);
    const hook = globalThis[HOOK];
    if (typeof hook !== 'function') return refuse(m, seq, 'the isolation script defines no ' + HOOK + ' function');
    let v;
    try {
      v = hook(view);
    } catch (e) {
      return refuse(m, seq, errorText(e));
    }
    if (v && typeof v.then === 'function') {
      return Promise.resolve(v).then((w) => accept(m, seq, w), (e) => refuse(m, seq, errorText(e)));
    }
    return accept(m, seq, v);
  }

  function forward(screened) {
    const parts = [];
    const metas = [];
    const bins = [];
    for (const s of screened) {
      if (!s) continue;
      parts.push(s.part);
      metas.push(s.meta);
      bins.push(s.bin);
    }
    if (parts.length === 0) return;
    if (bridge) {
      send(parts, metas, bins);
      // The ids of invokes sent over the lane stay in laneIds until their cancel, which is rare
      // (this world does not read the answers): past a bound, the older half is forgotten, in
      // one pass.
      if (laneIds.size > LANE_IDS_MAX) {
        let drop = laneIds.size - LANE_IDS_MAX / 2;
        for (const id of laneIds) {
          if (drop-- <= 0) break;
          laneIds.delete(id);
        }
      }
    } else if (down) {
      settle(metas, new IpcError('bridge.unavailable', down));
    } else {
      waiting.push([parts, metas, bins]);
    }
  }

  // The page's messages as values: parsed in one go, or, when one of them is not JSON, one by
  // one (undefined for that one).
  function parse(parts) {
    if (parts.every((p) => typeof p === 'string')) {
      try {
        const all = JSON.parse('[' + parts.join(',') + ']');
        if (all.length === parts.length) return all;
      } catch (e) {
        // one of them is not JSON: see which
      }
    }
    return parts.map((p) => {
      try {
        return typeof p === 'string' ? JSON.parse(p) : undefined;
      } catch (e) {
        return undefined;
      }
    });
  }

  // A batch from the page (`messages`, parsed): each message screened, in order; a hook that
  // answers asynchronously holds back the batches after it.
  function screenBatch(messages, bins, seqs) {
    const screened = new Array(messages.length);
    const later = [];
    for (let i = 0; i < messages.length; i++) {
      const s = screen(messages[i], bins[i], seqs[i]);
      if (s && typeof s.then === 'function') later.push(s.then((x) => { screened[i] = x; }));
      else screened[i] = s;
    }
    if (later.length === 0) {
      forward(screened);
      return null;
    }
    return Promise.all(later).then(() => forward(screened));
  }

  // What the page's world hands over: a batch's text when it has no buffers and waits for no
  // emit or listen (the common case, and the cheapest to copy across), else {k: 'batch',
  // parts, bins, seqs}; or {k: 'hi'}.
  function onRelay(e) {
    const d = e.detail;
    let messages;
    let bins = [];
    let seqs = [];
    if (typeof d === 'string') {
      try {
        messages = JSON.parse(d);
      } catch (err) {
        messages = null;
      }
      if (!Array.isArray(messages)) {
        refuse({ k: 'batch' }, 0, 'it is not a JSON array');
        return;
      }
    } else if (d !== null && typeof d === 'object' && d.k === 'hi') {
      relayTo({ k: 'hi' });
      if (down) relayTo({ k: 'down', message: down });
      return;
    } else if (d !== null && typeof d === 'object' && d.k === 'batch' && Array.isArray(d.parts)) {
      messages = parse(d.parts);
      if (Array.isArray(d.bins)) bins = d.bins;
      if (Array.isArray(d.seqs)) seqs = d.seqs;
    } else {
      return;
    }
    const job = () => screenBatch(messages, bins, seqs);
    const p = chain ? chain.then(job) : job();
    if (!p) return;
    const mine = p.then(() => {}, (err) => console.error('myapp: the isolation world failed on a batch:', err));
    chain = mine;
    mine.then(() => { if (chain === mine) chain = null; });
  }

  document.addEventListener(RELAY_OUT, onRelay);
  relayTo({ k: 'hi' });
  connect();
})();
