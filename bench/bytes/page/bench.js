// The scenarios of bench/bytes, run in the page by the C++ driver through
// `window.bench.run(name, params)` (bench/common/page/harness.js), which resolves with an object
// of numbers. The same code runs on the myapp page (over `window.__MYAPP__`) and on the naive
// page (naive.js): only the transport `{down, up, echo}` differs. Times come from
// performance.now() around the whole call, including the page touching the result; the data is
// checked outside the timed region.
(function () {
  'use strict';

  const { now, median, check, suite } = window.benchHarness;

  // Byte i of every payload (payload.hpp): the top byte of i * 2654435761 mod 2^32.
  const patternAt = (i) => Math.imul(i, 2654435761) >>> 24;

  const made = new Map(); // size -> Uint8Array holding the pattern, made once
  function payload(size) {
    let a = made.get(size);
    if (!a) {
      a = new Uint8Array(size);
      for (let i = 0; i < size; i++) a[i] = patternAt(i);
      made.set(size, a);
    }
    return a;
  }

  // Every byte, outside the timed region.
  function checkPattern(buf, size) {
    check(buf instanceof ArrayBuffer, 'expected an ArrayBuffer, got ' + Object.prototype.toString.call(buf));
    check(buf.byteLength === size, 'got ' + buf.byteLength + ' bytes, expected ' + size);
    const a = new Uint8Array(buf);
    for (let i = 0; i < size; i++) {
      if (a[i] !== patternAt(i)) throw new Error('byte ' + i + ' of ' + size + ' is wrong');
    }
  }

  // A JSON document of about `chars` UTF-16 units, the kind of text an app echoes: records with
  // quotes, backslashes, newlines, accented letters, CJK and an emoji (a surrogate pair).
  const docs = new Map();
  function jsonText(chars) {
    let t = docs.get(chars);
    if (t) return t;
    const names = ['Zoë "Z" Ångström', 'Łukasz Żółć', '東京 太郎', 'O\'Brien \\ Sons', 'Ünal Çelik 🚀'];
    const cities = ['Zürich', 'São Paulo', 'Kraków', '北京', 'Reykjavík'];
    const parts = [];
    let length = 2;
    for (let i = 0; length < chars; i++) {
      const record = JSON.stringify({
        id: i,
        name: names[i % names.length],
        city: cities[(i * 7) % cities.length],
        note: 'line one\nline "two"\ttabbed — ' + (i * 2654435761 % 1000003),
        tags: ['alpha', 'β', 'γάμμα'].slice(0, 1 + (i % 3)),
        score: (i % 997) / 7,
        active: i % 2 === 0,
        parent: i % 5 === 0 ? null : i - 1,
      });
      parts.push(record);
      length += record.length + 1;
    }
    t = '[' + parts.join(',') + ']';
    docs.set(chars, t);
    return t;
  }

  function makeScenarios(t) {
    // Runs `once` warmup + reps times; returns the median ms of the timed runs, or with `mean`
    // their mean: the page clock moves in steps (100 µs here, 1 ms in WebKitGTK), and only the
    // mean of many readings of a short call is its length.
    async function timed({ reps, warmup = 0, mean = false }, once) {
      for (let i = 0; i < warmup; i++) await once();
      const times = [];
      for (let r = 0; r < reps; r++) times.push(await once());
      return mean ? times.reduce((a, b) => a + b, 0) / times.length : median(times);
    }

    return {
      // Bytes from C++ to the page: {size, reps, warmup} -> {ms, mb_s}.
      async down(p) {
        const ms = await timed(p, async () => {
          const s = now();
          const buf = await t.down(p.size);
          const touched = buf.byteLength + new Uint8Array(buf)[p.size - 1];
          const elapsed = now() - s;
          check(touched === p.size + patternAt(p.size - 1), 'the last byte is wrong');
          checkPattern(buf, p.size);
          return elapsed;
        });
        return { ms, mb_s: p.size / 1e6 / (ms / 1000) };
      },

      // Bytes from the page to C++: {size, reps, warmup, via} -> {ms, mb_s}. The receiver
      // checks a sample of the bytes (payload.hpp) and answers with the size it got.
      async up(p) {
        const data = payload(p.size);
        const ms = await timed(p, async () => {
          const s = now();
          const n = await t.up(data, p.via);
          const elapsed = now() - s;
          check(n === p.size, 'the receiver got ' + n + ' bytes, expected ' + p.size);
          return elapsed;
        });
        return { ms, mb_s: p.size / 1e6 / (ms / 1000) };
      },

      // JSON text echoed as a string: {sizes: {name: chars}, reps, warmup, via} -> {name: ms,
      // name_chars, name_utf8}. `via` picks the road on pages that have more than one
      // (WebKitGTK's: its bound function or a scheme POST).
      async echo(p) {
        const out = {};
        for (const [name, chars] of Object.entries(p.sizes)) {
          const text = jsonText(chars);
          out[name] = await timed(p, async () => {
            const s = now();
            const back = await t.echo(text, p.via);
            const elapsed = now() - s;
            check(back === text, 'the echo of ' + text.length + ' characters came back different (' +
              (typeof back === 'string' ? back.length + ' characters' : typeof back) + ')');
            return elapsed;
          });
          out[name + '_chars'] = text.length;
          out[name + '_utf8'] = new TextEncoder().encode(text).length;
        }
        return out;
      },
    };
  }

  suite(makeScenarios, (m) => ({
    down: (n) => m.invoke('make', { n }),
    up: (data) => m.invoke('sink', { data }),
    echo: (text) => m.invoke('echo', { text }),
  }));
})();
