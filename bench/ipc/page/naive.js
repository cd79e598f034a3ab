// The naive transport of bench/ipc: every invoke is a call on the naive page's QWebChannel
// (bench/common/page/naive_channel.js); events are a plain `tick(int)` signal.
(function () {
  'use strict';

  window.connectNaive((naive, call) => {
    let onTick = null;
    naive.tick.connect((i) => { if (onTick) onTick(i); });
    return {
      invoke: call,
      async listen(name, fn) {
        onTick = fn;
        return () => { onTick = null; };
      },
      Channel: null,
    };
  });
})();
