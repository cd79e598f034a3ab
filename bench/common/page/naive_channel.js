// The naive pages' QWebChannel (bench/ipc, bench/bytes): the `naive` object, and calls as a
// plain Qt app makes them, one slot call per call with the message as JSON text, one `reply`
// signal per answer, matched by id.
(function () {
  'use strict';

  // Connects, then serves `window.bench` over `makeTransport(naive, call)`, where
  // `call(cmd, args)` is a promise of the answer; sets `window.__naiveReady`.
  window.connectNaive = function (makeTransport) {
    new QWebChannel(qt.webChannelTransport, (channel) => {
      const naive = channel.objects.naive;
      const pending = new Map(); // id -> [resolve, reject]
      let nextId = 1;
      naive.reply.connect((text) => {
        const m = JSON.parse(text);
        const p = pending.get(m.id);
        if (!p) return;
        pending.delete(m.id);
        if ('error' in m) p[1](new Error(m.error));
        else p[0](m.ok);
      });
      function call(cmd, args = {}) {
        const id = nextId++;
        return new Promise((resolve, reject) => {
          pending.set(id, [resolve, reject]);
          naive.call(JSON.stringify({ id, cmd, args }));
        });
      }
      window.benchHarness.serve(makeTransport(naive, call));
      window.__naiveReady = true;
    });
  };
})();
