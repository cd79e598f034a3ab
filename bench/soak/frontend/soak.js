// The soak page: from load until the driver sets `window.__soakStop`, one iteration after
// another of mixed traffic through the injected client. Counters live in `window.__soak`, which
// the driver reads. Every window of the soak runs this page; reloads restart it.
(function () {
  'use strict';
  const { invoke, listen, emit, Channel, ready } = window.__MYAPP__;
  const soak = (window.__soak = { iterations: 0, calls: 0, events: 0, frames: 0, errors: 0, lastError: null, done: false });
  const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
  const text = (n) => 'x'.repeat(n);
  const SMALL = text(50);
  const KIB = text(1024);
  const BIG = text(64 * 1024);
  const HUGE = text(1024 * 1024);

  function check(ok, what) {
    if (!ok) throw new Error(what);
  }

  async function echo(payload) {
    const r = await invoke('echo', { text: payload });
    check(r === payload, 'echo of ' + payload.length + ' chars answered ' + String(r).length);
    soak.calls++;
  }

  async function stream(count, size) {
    let got = 0;
    const channel = new Channel(() => { got++; });
    await invoke('stream', { count, size, channel });
    await channel.closed;
    check(got === count, 'channel delivered ' + got + ' of ' + count);
    soak.frames += got;
  }

  // A channel whose call is cancelled while it streams: the C++ side must close it.
  async function cancelledStream() {
    const abort = new AbortController();
    const channel = new Channel(() => { if (!abort.signal.aborted) abort.abort(); });
    try {
      await invoke('stream', { count: 100000, size: 10, channel }, { signal: abort.signal });
    } catch (e) {
      check(e.code === 'cancelled', 'a cancelled call rejected with ' + e.code);
    }
  }

  async function iteration(i) {
    const calls = [];
    for (let k = 0; k < 20; k++) calls.push(echo(SMALL));
    for (let k = 0; k < 5; k++) calls.push(echo(KIB));
    calls.push(echo(BIG));
    if (i % 10 === 0) calls.push(echo(HUGE));
    calls.push(invoke('blob', { size: 32 * 1024 }).then((r) => { check(r.length === 32 * 1024, 'blob'); soak.calls++; }));
    await Promise.all(calls);
    // Events both ways: a listener that comes and goes, C++ -> page, page -> C++.
    const unlisten = await listen('soak:tick', () => { soak.events++; });
    try {
      await invoke('emit_events', { count: 20 });
      await emit('soak:ping', { i });
    } finally {
      unlisten();
    }
    await stream(200, 64);
    if (i % 5 === 0) await cancelledStream();
  }

  async function main() {
    await ready;
    for (let i = 0; !window.__soakStop; i++) {
      try {
        await iteration(i);
      } catch (e) {
        soak.errors++;
        soak.lastError = (e && e.code ? e.code + ': ' : '') + (e && e.message ? e.message : String(e));
      }
      soak.iterations++;
      await sleep(10); // leave the cores to the rest of the machine now and then
    }
    soak.done = true;
  }
  main();
})();
