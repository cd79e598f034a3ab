// The WebKitGTK baseline's transport (bench/webkitgtk), for the scenarios of bench/ipc and
// bench/bytes (their page/bench.js, on bench/common/page/harness.js), done the way Tauri does
// IPC on Linux:
// - a bound function: `window.webkit.messageHandlers.ipc.postMessage(json)` (WebKit's script
//   message handler) carries `{id, cmd, args}` to C++, which answers by evaluating
//   `window.__wk.reply(id, value)` in the page (Tauri's postMessage IPC and its callbacks);
// - a custom scheme: `fetch` of `bench://localhost/...`, GET of /data/<n> for bytes down, POST with the
//   bytes or the JSON arguments as the body (Tauri v2's `ipc://` protocol).
// C++ events are evaluated `window.__wk.tick(i)` calls (Tauri's emit evaluates a script in the
// page). When the transport is served, it tells C++ on the `result` handler: the first JS
// callback of the start-up measurement.
(function () {
  'use strict';

  const handlers = window.webkit.messageHandlers;
  const pending = new Map(); // id -> [resolve, reject]
  let nextId = 1;
  let onTick = null;

  window.__wk = {
    reply(id, value) {
      const p = pending.get(id);
      if (!p) return;
      pending.delete(id);
      p[0](value);
    },
    fail(id, message) {
      const p = pending.get(id);
      if (!p) return;
      pending.delete(id);
      p[1](new Error(message));
    },
    tick(i) {
      if (onTick) onTick(i);
    },
  };

  function invoke(cmd, args = {}) {
    const id = nextId++;
    return new Promise((resolve, reject) => {
      pending.set(id, [resolve, reject]);
      handlers.ipc.postMessage(JSON.stringify({ id, cmd, args }));
    });
  }

  async function scheme(path, init, read) {
    const response = await fetch(path, init);
    if (!response.ok) throw new Error(path + ' answered ' + response.status + ': ' + (await response.text()));
    return read(response);
  }

  window.benchHarness.serve({
    invoke,
    async listen(name, fn) {
      onTick = fn;
      return () => { onTick = null; };
    },
    Channel: null,
    down: (n) => scheme('/data/' + n, {}, (r) => r.arrayBuffer()),
    up: (data) => scheme('/sink', { method: 'POST', body: data }, (r) => r.text()).then(Number),
    echo(text, via) {
      if (via !== 'scheme') return invoke('echo', { text });
      return scheme('/echo', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ text }),
      }, (r) => r.json());
    },
  });
  handlers.result.postMessage('{"ready":true}');
})();
