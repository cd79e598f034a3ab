// The page's end of the relay to the isolation world (client/isolation.js), standing in for the
// transport when the app has an isolation hook: every batch is handed over as it is, buffers
// included, and the isolation world hands back what the host delivers and what became of the
// messages it screened. The two worlds share the DOM and nothing else: they talk through events
// on the document, whose `detail` Chromium copies from one world into the other.

  const RELAY_OUT = 'myapp-relay-out'; // to the isolation world
  const RELAY_IN = 'myapp-relay-in';   // from it
  // Taken now, before any page script runs, so that a page that patches the DOM's prototypes
  // (zone.js does) does not change how the relay works.
  const relayTarget = document;
  const relayDispatch = EventTarget.prototype.dispatchEvent;
  const relayListen = EventTarget.prototype.addEventListener;
  const RelayEvent = CustomEvent;
  const relay = Object.freeze({ relay: true }); // what `bridge` is once the isolation world answered

  function relayTo(detail) {
    relayDispatch.call(relayTarget, new RelayEvent(RELAY_OUT, { detail }));
  }

  // The bulk lane lives in the isolation world: nothing of it here.
  const laneIds = new Set();
  function laneWelcome() {}
  function cancelOnLane() { return false; }

  let nextSeq = 1;
  // The emits and listens handed over, by sequence number, until the isolation world says whether
  // they were sent: their [resolve, reject].
  const handed = new Map();

  // A view over exactly its own bytes: a view of a larger buffer would copy all of it across.
  const own = (a) => (a.byteOffset === 0 && a.byteLength === a.buffer.byteLength ? a : a.slice());

  // A batch goes across as its text, the cheapest to copy from one world to the other, unless
  // it has buffers or messages whose sending the page waits for: then as its parts with them.
  function send(parts, metas, bins) {
    let plain = true;
    const seqs = new Array(parts.length).fill(0);
    for (let i = 0; i < parts.length; i++) {
      if (Array.isArray(metas[i])) {
        handed.set(nextSeq, metas[i]);
        seqs[i] = nextSeq++;
        plain = false;
      }
      if (bins[i]) {
        bins[i] = bins[i].map(own);
        plain = false;
      }
    }
    relayTo(plain ? batchText(parts) : { k: 'batch', parts, bins, seqs });
  }

  // What became of the messages handed over: sent (`done`), or refused or lost (`failed`, by
  // sequence number; `ids`, by invoke id), each with an error code and message.
  function onVerdicts(d) {
    if (Array.isArray(d.done)) {
      for (const s of d.done) {
        const m = handed.get(s);
        if (!m) continue;
        handed.delete(s);
        m[0]();
      }
    }
    const failure = (e) => Array.isArray(e) && typeof e[1] === 'string' && typeof e[2] === 'string';
    if (Array.isArray(d.failed)) {
      for (const e of d.failed) {
        if (!failure(e) || !handed.has(e[0])) continue;
        const m = handed.get(e[0]);
        handed.delete(e[0]);
        m[1](new IpcError(e[1], e[2]));
      }
    }
    if (Array.isArray(d.ids)) {
      for (const e of d.ids) {
        if (!failure(e) || !Number.isInteger(e[0])) continue;
        abandonChannels(e[0]); // the channels of a call that never ran close
        failPart(e[0], new IpcError(e[1], e[2]));
      }
    }
  }

  // What the isolation world hands back: what the host delivered (a string), or {k: 'hi' |
  // 'verdicts' | 'down', ...}.
  function onRelay(e) {
    const d = e.detail;
    if (typeof d === 'string') {
      onDeliver(d);
      return;
    }
    if (d === null || typeof d !== 'object') return;
    switch (d.k) {
      case 'hi':
        if (!bridge && !unavailable) {
          bridge = relay;
          flush(); // hello, plus anything invoked while connecting
        }
        return;
      case 'verdicts':
        onVerdicts(d);
        return;
      case 'down':
        if (!unavailable) fail(String(d.message));
        return;
      default:
    }
  }

  // Both worlds' scripts run as the document is created, in either order; each says hello when
  // it starts and answers the other's. One that has not answered once the document is parsed
  // never will.
  function connect() {
    relayListen.call(relayTarget, RELAY_IN, onRelay);
    relayTo({ k: 'hi' });
    if (!bridge) {
      relayListen.call(relayTarget, 'DOMContentLoaded', () => {
        if (!bridge && !unavailable) fail('the isolation world did not start; see the app\'s log');
      }, { once: true });
    }
  }
