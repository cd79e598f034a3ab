// The scenarios of bench/ipc, run in the page by the C++ driver through
// `window.bench.run(name, params)` (bench/common/page/harness.js), which resolves with an object
// of numbers. The same code runs on the myapp page (over `window.__MYAPP__`) and on the naive
// page (over a plain QWebChannel object, naive.js): only the transport `{invoke, listen,
// Channel}` differs. Times come from performance.now().
(function () {
  'use strict';

  const { now, median, check, suite } = window.benchHarness;

  function percentile(sorted, q) {
    return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  }

  function makeScenarios(t) {
    const small = { text: 'x'.repeat(90) };

    function checkSmall(r) {
      check(typeof r === 'string' && r.length === 90,
        'echo_small answered ' + JSON.stringify(r).slice(0, 80));
    }

    // Resolves once `count` frames were delivered and the channel closed; returns ms.
    async function stream(cmd, args, onmessage) {
      const channel = new t.Channel(onmessage);
      const t0 = now();
      await t.invoke(cmd, Object.assign({}, args, { channel }));
      await channel.closed;
      return now() - t0;
    }

    return {
      async invoke_seq({ calls, warmup = 50 }) {
        for (let i = 0; i < warmup; i++) checkSmall(await t.invoke('echo_small', small));
        const latency = new Float64Array(calls);
        const t0 = now();
        for (let i = 0; i < calls; i++) {
          const s = now();
          const r = await t.invoke('echo_small', small);
          latency[i] = now() - s;
          checkSmall(r);
        }
        const ms = now() - t0;
        latency.sort();
        return {
          per_s: (calls / ms) * 1000,
          p50_us: percentile(latency, 0.5) * 1000,
          p99_us: percentile(latency, 0.99) * 1000,
        };
      },

      async invoke_pipelined({ calls, in_flight }) {
        const wave = (n) => {
          const inFlight = new Array(n);
          for (let i = 0; i < n; i++) inFlight[i] = t.invoke('echo_small', small);
          return Promise.all(inFlight);
        };
        (await wave(in_flight)).forEach(checkSmall);
        const t0 = now();
        for (let done = 0; done < calls; done += in_flight) {
          const answers = await wave(Math.min(in_flight, calls - done));
          checkSmall(answers[answers.length - 1]);
        }
        const t1 = now();
        // start_ms, end_ms: on the epoch clock, so that runs in several pages at once
        // (bench/scale) can be put on one timeline.
        return {
          per_s: (calls / (t1 - t0)) * 1000,
          start_ms: performance.timeOrigin + t0,
          end_ms: performance.timeOrigin + t1,
        };
      },

      // sizes: {name: bytes}; answers {name: median ms per round trip}. `via: 'scheme'` (the
      // WebKitGTK baseline only): through its custom-scheme POST.
      async echo({ sizes, reps, via }) {
        const out = {};
        for (const [name, bytes] of Object.entries(sizes)) {
          const text = 'x'.repeat(bytes);
          const times = [];
          for (let r = 0; r < reps; r++) {
            const s = now();
            const back = via === 'scheme' ? await t.echo(text, via) : await t.invoke('echo', { text });
            times.push(now() - s);
            check(typeof back === 'string' && back.length === bytes,
              'echo of ' + bytes + ' bytes came back with ' + (back && back.length));
          }
          out[name] = median(times);
        }
        return out;
      },

      async events({ count }) {
        let received = 0;
        let last = -1;
        let allArrived;
        const arrived = new Promise((resolve) => { allArrived = resolve; });
        const unlisten = await t.listen('bench:tick', (i) => {
          last = i;
          if (++received === count) allArrived();
        });
        try {
          const t0 = now();
          await Promise.all([t.invoke('emit_events', { count }), arrived]);
          const ms = now() - t0;
          check(last === count - 1, 'the last event carried ' + last + ', expected ' + (count - 1));
          return { per_s: (count / ms) * 1000 };
        } finally {
          await unlisten();
        }
      },

      async channel({ count }) {
        let received = 0;
        let inOrder = true;
        const ms = await stream('stream', { count }, (i) => {
          if (i !== received) inOrder = false;
          received++;
        });
        check(received === count, 'the channel delivered ' + received + ' of ' + count + ' frames');
        check(inOrder, 'the channel delivered frames out of order');
        return { per_s: (count / ms) * 1000 };
      },

      // A consumer slower than the producer: every 100th frame yields to a timer first.
      async channel_slow({ count, size }) {
        let received = 0;
        let wrong = 0;
        const ms = await stream('stream_text', { count, size }, (text) => {
          if (typeof text !== 'string' || text.length !== size) wrong++;
          if (++received % 100 === 0) return new Promise((resolve) => setTimeout(resolve, 0));
          return undefined;
        });
        check(received === count, 'the channel delivered ' + received + ' of ' + count + ' frames');
        check(wrong === 0, wrong + ' frames had the wrong size');
        return { per_s: (count / ms) * 1000 };
      },
    };
  }

  suite(makeScenarios, (m) => ({
    invoke: m.invoke,
    async listen(name, fn) {
      const unlisten = await m.listen(name, (e) =>
        fn(e !== null && typeof e === 'object' && 'payload' in e ? e.payload : e));
      return typeof unlisten === 'function' ? unlisten : () => {};
    },
    Channel: m.Channel,
  }));
})();
