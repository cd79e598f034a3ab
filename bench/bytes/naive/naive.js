// The naive transports: an XHR GET from the page's own scheme (the raw down ceiling), a bare
// WebSocket (the raw up ceiling), base64 text to a QWebChannel slot (the base64 baseline), and
// JSON text through a QWebChannel slot and signal (the naive echo, as in bench/ipc).
(function () {
  'use strict';

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

    // One WebSocket, opened once (as myapp's lane is); answers come back in order.
    let ws = null;
    const acks = [];
    function socket() {
      if (ws) return ws;
      ws = new Promise((resolve, reject) => {
        naive.ws_port((port) => {
          const s = new WebSocket('ws://127.0.0.1:' + port + '/');
          s.binaryType = 'arraybuffer';
          s.onopen = () => resolve(s);
          s.onerror = () => reject(new Error('the raw WebSocket failed'));
          s.onclose = () => { for (const a of acks.splice(0)) a[1](new Error('the raw WebSocket closed')); };
          s.onmessage = (e) => {
            const a = acks.shift();
            if (!a) return;
            if (/^\d+$/.test(e.data)) a[0](Number(e.data));
            else a[1](new Error('raw WebSocket: ' + e.data));
          };
        });
      });
      return ws;
    }

    // Base64 of a Uint8Array, in chunks, as myapp's client does for small buffers.
    function base64(a) {
      let s = '';
      for (let i = 0; i < a.length; i += 0x8000) s += String.fromCharCode.apply(null, a.subarray(i, i + 0x8000));
      return btoa(s);
    }

    window.bench = makeBench({
      down(n) {
        return new Promise((resolve, reject) => {
          const x = new XMLHttpRequest();
          x.open('GET', '/bytes/' + n);
          x.responseType = 'arraybuffer';
          x.onload = () => (x.status === 200 && x.response ? resolve(x.response) : reject(new Error('GET answered ' + x.status)));
          x.onerror = () => reject(new Error('GET failed'));
          x.send();
        });
      },
      async up(data, via) {
        if (via === 'ws') {
          const s = await socket();
          return new Promise((resolve, reject) => {
            acks.push([resolve, reject]);
            s.send(String(data.byteLength));
            s.send(data);
          });
        }
        if (via === 'b64') {
          const text = base64(data);
          return new Promise((resolve) => naive.sink_b64(text, data.byteLength, resolve));
        }
        throw new Error('the naive page sends bytes via ws or b64, not ' + via);
      },
      echo(text) {
        const id = nextId++;
        return new Promise((resolve, reject) => {
          pending.set(id, [resolve, reject]);
          naive.call(JSON.stringify({ id, cmd: 'echo', args: { text } }));
        });
      },
    });
    window.__naiveReady = true;
  });
})();
