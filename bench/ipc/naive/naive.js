// The naive transport: one slot call per invoke with the message as JSON text, one `reply`
// signal per answer, matched by id; events are a plain `tick(int)` signal.
(function () {
  'use strict';

  new QWebChannel(qt.webChannelTransport, (channel) => {
    const naive = channel.objects.naive;
    const pending = new Map(); // id -> [resolve, reject]
    let nextId = 1;
    let onTick = null;

    naive.reply.connect((text) => {
      const m = JSON.parse(text);
      const p = pending.get(m.id);
      if (!p) return;
      pending.delete(m.id);
      if ('error' in m) p[1](new Error(m.error));
      else p[0](m.ok);
    });
    naive.tick.connect((i) => { if (onTick) onTick(i); });

    window.bench = makeBench({
      invoke(cmd, args = {}) {
        const id = nextId++;
        return new Promise((resolve, reject) => {
          pending.set(id, [resolve, reject]);
          naive.call(JSON.stringify({ id, cmd, args }));
        });
      },
      async listen(name, fn) {
        onTick = fn;
        return () => { onTick = null; };
      },
      Channel: null,
    });
    window.__naiveReady = true;
  });
})();
