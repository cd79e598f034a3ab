// The naive transports of bench/bytes: an XHR GET from the page's own scheme (the raw down
// ceiling), a bare WebSocket (the raw up ceiling), base64 text to a QWebChannel slot (the base64
// baseline), and JSON text through a call on the naive page's QWebChannel (the naive echo, as
// in bench/ipc; bench/common/page/naive_channel.js).
(function () {
  'use strict';

  window.connectNaive((naive, call) => {
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

    return {
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
      echo: (text) => call('echo', { text }),
    };
  });
})();
