// Tests for the injected page client, wire protocol v1 (the parts runtime-js/src/client.list names).
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { load, loadConnected, loadWelcomed, macrotask, plain, rejection, CLIENT_SOURCE } from './harness.mjs';
import vm from 'node:vm';

const HELLO = '{"k":"hello","v":1}';

describe('handshake and batching', () => {
  test('hello travels alone as the first batch when nothing else is queued', async () => {
    const h = await loadWelcomed();
    assert.deepEqual(h.posts, ['[' + HELLO + ']']);
  });

  test('nothing is posted before the channel connects', async () => {
    const h = load({ autoConnect: false });
    h.api.invoke('a');
    await macrotask();
    assert.equal(h.posts.length, 0);
  });

  test('calls made while connecting go out with hello, hello first, in one post', async () => {
    const h = load({ autoConnect: false });
    h.api.invoke('a', { x: 1 });
    await macrotask();
    h.api.invoke('b');
    h.connect();
    assert.deepEqual(h.posts, [
      '[' + HELLO + ',{"k":"invoke","id":1,"cmd":"a","args":{"x":1}},{"k":"invoke","id":2,"cmd":"b","args":{}}]',
    ]);
  });

  test('three invokes in one tick make one post with ids 1, 2, 3 in order', async () => {
    const h = await loadWelcomed();
    h.api.invoke('one', { n: 1 });
    h.api.invoke('two', { n: 2 });
    h.api.invoke('three');
    await macrotask();
    assert.equal(h.posts.length, 2);
    assert.equal(
      h.posts[1],
      '[{"k":"invoke","id":1,"cmd":"one","args":{"n":1}},' +
        '{"k":"invoke","id":2,"cmd":"two","args":{"n":2}},' +
        '{"k":"invoke","id":3,"cmd":"three","args":{}}]',
    );
  });

  test('a lone invoke is posted in the next microtask, with no timer', async () => {
    const h = await loadWelcomed();
    h.api.invoke('ping');
    assert.equal(h.posts.length, 1, 'not posted synchronously');
    await null; // the flush was queued before this continuation
    assert.equal(h.posts.length, 2);
    assert.deepEqual(JSON.parse(h.posts[1]), [{ k: 'invoke', id: 1, cmd: 'ping', args: {} }]);
    assert.equal(h.timers.length, 0, 'the client never uses setTimeout');
  });

  test('calls in different ticks go in different batches', async () => {
    const h = await loadWelcomed();
    h.api.invoke('a');
    await null;
    h.api.invoke('b');
    h.api.invoke('c');
    await null;
    assert.deepEqual(h.batches().slice(1).map((b) => b.map((m) => m.cmd)), [['a'], ['b', 'c']]);
  });

  test('a batch is never empty', async () => {
    const h = await loadWelcomed();
    h.api.invoke('x', 'bad').catch(() => {}); // rejected before queueing
    await macrotask();
    assert.equal(h.posts.length, 1);
    for (const b of h.batches()) assert.ok(b.length > 0);
  });

  test('1000 calls in one tick: posts of 128 while the page is still calling, ids 1..1000, answers in any order', async () => {
    const h = await loadWelcomed();
    const calls = [];
    for (let i = 0; i < 1000; i++) {
      calls.push(h.api.invoke('n', { i }));
      // A piece leaves as soon as it is full, before the tick ends.
      if (i === 127) assert.equal(h.posts.length, 2);
    }
    await null;
    // 7 full pieces, then the remaining 104 at the end of the tick.
    assert.deepEqual(h.batches().slice(1).map((b) => b.length), [128, 128, 128, 128, 128, 128, 128, 104]);
    const sent = h.batches().slice(1).flat();
    assert.deepEqual(sent.map((m) => m.id), Array.from({ length: 1000 }, (_, i) => i + 1));
    h.deliver(sent.reverse().map((m) => ({ k: 'result', id: m.id, ok: m.args.i * 2 })));
    assert.deepEqual(await Promise.all(calls), Array.from({ length: 1000 }, (_, i) => i * 2));
  });

  test('the example exchange from docs/protocol.md', async () => {
    const h = load({ autoConnect: false });
    const greeting = h.api.invoke('greet', { name: 'Ada' });
    h.connect();
    assert.deepEqual(h.posts, [
      '[{"k":"hello","v":1},{"k":"invoke","id":1,"cmd":"greet","args":{"name":"Ada"}}]',
    ]);
    h.deliver('[{"k":"welcome","v":1,"label":"main"},{"k":"result","id":1,"ok":"Hello, Ada!"}]');
    assert.equal(await greeting, 'Hello, Ada!');
    await null;
    assert.deepEqual(h.posts.slice(1), ['[{"k":"ready"}]']);
  });
});

describe('welcome and ready', () => {
  test('welcome resolves ready with label and version and queues a ready message', async () => {
    const h = await loadConnected();
    h.deliver([{ k: 'welcome', v: 1, label: 'main' }]);
    assert.deepEqual(plain(await h.api.ready), { label: 'main', version: 1 });
    await null;
    assert.deepEqual(h.batches()[1], [{ k: 'ready' }]);
  });

  test('the ready message shares a batch with calls made in the same tick', async () => {
    const h = await loadConnected();
    h.deliver([{ k: 'welcome', v: 1, label: 'side' }]);
    h.api.invoke('later');
    await null;
    assert.deepEqual(h.batches()[1], [{ k: 'ready' }, { k: 'invoke', id: 1, cmd: 'later', args: {} }]);
  });

  test('what arrives before the welcome was meant for the page this one replaced: dropped', async () => {
    const h = load({ autoConnect: false });
    const mine = h.api.invoke('greet');  // id 1, as the previous page's first call was
    h.connect();
    let settled = false;
    mine.then(() => { settled = true; }, () => { settled = true; });
    h.deliver([
      { k: 'result', id: 1, ok: 'for the previous page' },
      { k: 'error', id: 1, error: { code: 'x', message: 'for the previous page' } },
      { k: 'event', event: 'e', id: 1, payload: 1 },
    ]);
    await macrotask();
    assert.equal(settled, false);
    h.deliver([{ k: 'welcome', v: 1, label: 'main' }, { k: 'result', id: 1, ok: 'mine' }]);
    assert.equal(await mine, 'mine');
    assert.deepEqual(h.logs.info, ["myapp: dropped 3 message(s) meant for the previous page"]);
    assert.deepEqual(h.logs.warn, []);
  });

  test('a repeated welcome is ignored with a warning', async () => {
    const h = await loadConnected();
    h.deliver([{ k: 'welcome', v: 1, label: 'main' }]);
    h.deliver([{ k: 'welcome', v: 1, label: 'other' }]);
    await macrotask();
    assert.equal((await h.api.ready).label, 'main');
    assert.equal(h.messages().filter((m) => m.k === 'ready').length, 1);
    assert.equal(h.logs.warn.length, 1);
  });
});

describe('results and errors', () => {
  test('result resolves the call with ok, whatever JSON it is', async () => {
    const h = await loadWelcomed();
    const values = [{ a: [1, 2] }, null, [true], 'text', 0, false];
    const calls = values.map((_, i) => h.api.invoke('c' + i));
    await null;
    h.deliver(values.map((ok, i) => ({ k: 'result', id: i + 1, ok })));
    assert.deepEqual((await Promise.all(calls)).map(plain), values);
  });

  test('error rejects with an IpcError carrying code, message and data', async () => {
    const h = await loadWelcomed();
    const call = h.api.invoke('fails');
    await null;
    h.deliver([{ k: 'error', id: 1, error: { code: 'my.code', message: 'it broke', data: { why: 42 } } }]);
    const e = await rejection(call);
    assert.ok(e instanceof h.api.IpcError);
    assert.ok(e instanceof vm.runInContext('Error', h.context));
    assert.equal(e.name, 'IpcError');
    assert.equal(e.code, 'my.code');
    assert.equal(e.message, 'it broke');
    assert.deepEqual(plain(e.data), { why: 42 });
    assert.match(String(e), /^IpcError: it broke/);
  });

  test('data is undefined when the error has none', async () => {
    const h = await loadWelcomed();
    const call = h.api.invoke('missing');
    await null;
    h.deliver([{ k: 'error', id: 1, error: { code: 'command.not_found', message: 'no command "missing"' } }]);
    const e = await rejection(call);
    assert.equal(e.code, 'command.not_found');
    assert.equal(e.data, undefined);
  });

  test('IpcError can be constructed by the page', () => {
    const h = load();
    const e = new h.api.IpcError('app.x', 'msg', [1]);
    assert.equal(e.code, 'app.x');
    assert.equal(e.message, 'msg');
    assert.deepEqual(plain(e.data), [1]);
    assert.equal(e.name, 'IpcError');
  });

  test('fault is logged with code and message and does not break later results', async () => {
    const h = await loadWelcomed();
    const call = h.api.invoke('ok');
    await null;
    h.deliver([{ k: 'fault', error: { code: 'protocol.invalid', message: 'batch is not an array' } }]);
    assert.equal(h.logs.error.length, 1);
    assert.match(h.logs.error[0], /protocol\.invalid/);
    assert.match(h.logs.error[0], /batch is not an array/);
    h.deliver([{ k: 'result', id: 1, ok: 'fine' }]);
    assert.equal(await call, 'fine');
  });

  test('unknown ids, unknown kinds and non-objects are ignored with a warning', async () => {
    const h = await loadWelcomed();
    const call = h.api.invoke('x');
    await null;
    h.deliver([
      { k: 'result', id: 99, ok: 1 },
      { k: 'error', id: 98, error: { code: 'a', message: 'b' } },
      { k: 'event', name: 'future' },
      42,
      null,
      { k: 'result', id: 1, ok: 'still works' },
    ]);
    assert.equal(await call, 'still works');
    assert.equal(h.logs.warn.length, 5);
    assert.equal(h.logs.error.length, 0);
  });

  test('a second answer for a settled id is ignored with a warning', async () => {
    const h = await loadWelcomed();
    const call = h.api.invoke('x');
    await null;
    h.deliver([{ k: 'result', id: 1, ok: 1 }]);
    h.deliver([{ k: 'result', id: 1, ok: 2 }]);
    assert.equal(await call, 1);
    assert.equal(h.logs.warn.length, 1);
  });

  test('a malformed batch is logged and later batches still work', async () => {
    const h = await loadWelcomed();
    const call = h.api.invoke('x');
    await null;
    assert.doesNotThrow(() => h.deliver('[{"k":"result",'));
    assert.doesNotThrow(() => h.deliver('{"k":"result","id":1,"ok":0}'));
    assert.equal(h.logs.error.length, 2);
    h.deliver([{ k: 'result', id: 1, ok: 'after' }]);
    assert.equal(await call, 'after');
  });
});

describe('argument checks', () => {
  const cases = [
    ['cmd undefined', [undefined], /cmd must be a non-empty string, got undefined/],
    ['cmd empty', [''], /cmd must be a non-empty string, got an empty string/],
    ['cmd number', [42], /cmd .*got number/],
    ['cmd null', [null], /cmd .*got null/],
    ['args null', ['c', null], /args must be a plain object, a raw body \(an ArrayBuffer, a typed array or a DataView\) or undefined, got null/],
    ['args array', ['c', [1]], /args .*got an array/],
    ['args string', ['c', 'x'], /args .*got string/],
    ['args number', ['c', 5], /args .*got number/],
    ['args Map', ['c', new Map()], /args .*got an instance of Map/],
    ['args Date', ['c', new Date()], /args .*got an instance of Date/],
    ['args class instance', ['c', new (class Point {})()], /args .*got an instance of Point/],
    ['args function', ['c', () => {}], /args .*got function/],
    ['options null', ['c', {}, null], /options must be a plain object or undefined, got null/],
    ['options string', ['c', {}, 'fast'], /options .*got string/],
    ['options array', ['c', {}, []], /options .*got an array/],
    ['headers array', ['c', {}, { headers: ['a'] }], /options\.headers must be a Headers or a plain object of strings, got an array/],
    ['headers value', ['c', {}, { headers: { 'x-n': 1 } }], /options\.headers\["x-n"\] must be a string, got number/],
  ];
  for (const [name, args, message] of cases) {
    test(`${name} rejects with args.invalid without posting`, async () => {
      const h = await loadWelcomed();
      const e = await rejection(h.api.invoke(...args));
      assert.ok(e instanceof h.api.IpcError);
      assert.equal(e.code, 'args.invalid');
      assert.match(e.message, message);
      await macrotask();
      assert.equal(h.posts.length, 1, 'only hello was posted');
    });
  }

  test('plain objects from any realm are accepted, including null-prototype ones', async () => {
    const h = await loadWelcomed();
    h.api.invoke('a', { outer: 'realm' });
    h.api.invoke('b', vm.runInContext('({ inner: "realm" })', h.context));
    h.api.invoke('c', Object.assign(Object.create(null), { bare: true }));
    h.api.invoke('d', undefined, undefined);
    h.api.invoke('e', {}, { unknownOption: 1 });
    await null;
    assert.deepEqual(h.batches()[1].map((m) => m.args), [
      { outer: 'realm' },
      { inner: 'realm' },
      { bare: true },
      {},
      {},
    ]);
  });

  test('unserializable args reject only that call; the others still go out', async () => {
    const h = await loadWelcomed();
    const cyclic = { name: 'loop' };
    cyclic.self = cyclic;
    const first = h.api.invoke('first', { n: 1 });
    const big = h.api.invoke('big', { n: 10n });
    const loop = h.api.invoke('loop', cyclic);
    const last = h.api.invoke('last', { n: 2 });
    const bigErr = await rejection(big);
    const loopErr = await rejection(loop);
    assert.equal(bigErr.code, 'args.invalid');
    assert.match(bigErr.message, /"big".*BigInt/);
    assert.equal(loopErr.code, 'args.invalid');
    assert.match(loopErr.message, /"loop".*circular/i);
    assert.equal(h.posts.length, 2);
    assert.deepEqual(h.batches()[1], [
      { k: 'invoke', id: 1, cmd: 'first', args: { n: 1 } },
      { k: 'invoke', id: 2, cmd: 'last', args: { n: 2 } },
    ]);
    h.deliver([{ k: 'result', id: 1, ok: 'a' }, { k: 'result', id: 2, ok: 'b' }]);
    assert.deepEqual(await Promise.all([first, last]), ['a', 'b']);
  });

  test('args are serialized at call time', async () => {
    const h = await loadWelcomed();
    const args = { v: 'before' };
    h.api.invoke('snap', args);
    args.v = 'after';
    await null;
    assert.deepEqual(h.batches()[1][0].args, { v: 'before' });
  });
});

describe('headers', () => {
  test('headers go on the wire after args', async () => {
    const h = await loadWelcomed();
    h.api.invoke('h', { a: 1 }, { headers: { 'x-trace': 'abc', lang: 'en' } });
    h.api.invoke('plain');
    await null;
    assert.equal(
      h.posts[1],
      '[{"k":"invoke","id":1,"cmd":"h","args":{"a":1},"headers":{"x-trace":"abc","lang":"en"}},' +
        '{"k":"invoke","id":2,"cmd":"plain","args":{}}]',
    );
  });
});

describe('raw bodies and Headers', () => {
  test('bytes as args travel as a raw body: the first attachment, no args', async () => {
    const h = await loadWelcomed();
    h.api.invoke('upload', new Uint8Array([1, 2, 3]), { headers: { Authorization: 'apikey' } });
    await null;
    assert.deepEqual(JSON.parse(h.posts[1]), [{
      k: 'invoke', id: 1, cmd: 'upload', body: 0, headers: { Authorization: 'apikey' },
      bin: [{ b64: 'AQID' }],
    }]);
  });

  test('an ArrayBuffer and a DataView are raw bodies too, only the viewed bytes sent', async () => {
    const h = await loadWelcomed();
    h.api.invoke('a', new Uint8Array([9, 8, 7]).buffer);
    h.api.invoke('b', new DataView(new Uint8Array([0, 5, 6, 0]).buffer, 1, 2));
    await null;
    const [a, b] = JSON.parse(h.posts[1]);
    assert.deepEqual([a.body, a.bin, 'args' in a], [0, [{ b64: 'CQgH' }], false]);
    assert.deepEqual([b.body, b.bin], [0, [{ b64: 'BQY=' }]]);
  });

  test('a Headers object is sent as a plain object of its entries', async () => {
    const h = await loadWelcomed();
    const headers = new Headers({ 'X-Trace': 'abc' });
    h.api.invoke('h', {}, { headers });
    await null;
    assert.deepEqual(JSON.parse(h.posts[1])[0].headers, { 'x-trace': 'abc' });
  });
});

describe('error values', () => {
  test('an error value rejects with the value itself, not an IpcError', async () => {
    const h = await loadWelcomed();
    const s = h.api.invoke('login');
    const o = h.api.invoke('read');
    await null;
    h.deliver([{ k: 'error', id: 1, value: 'invalid credentials' },
      { k: 'error', id: 2, value: { kind: 'io', message: 'disk full' } }]);
    assert.equal(await rejection(s), 'invalid credentials');
    const e = await rejection(o);
    assert.equal(e instanceof h.api.IpcError, false);
    assert.deepEqual(plain(e), { kind: 'io', message: 'disk full' });
  });

  test('framework failures still reject with an IpcError carrying the code', async () => {
    const h = await loadWelcomed();
    const p = h.api.invoke('x');
    await null;
    h.deliver([{ k: 'error', id: 1, error: { code: 'acl.denied', message: 'no' } }]);
    const e = await rejection(p);
    assert.ok(e instanceof h.api.IpcError);
    assert.equal(e.code, 'acl.denied');
  });
});

describe('without a bridge', () => {
  test('without qt every invoke rejects with bridge.unavailable, and so does ready', async () => {
    const h = load({ qt: false });
    const e = await rejection(h.api.invoke('x'));
    assert.ok(e instanceof h.api.IpcError);
    assert.equal(e.code, 'bridge.unavailable');
    assert.match(e.message, /not running inside a myapp webview/);
    const r = await rejection(h.api.ready);
    assert.equal(r.code, 'bridge.unavailable');
    assert.equal((await rejection(h.api.invoke('', null))).code, 'bridge.unavailable');
    assert.equal(h.posts.length, 0);
  });

  test('a channel without a myapp object fails pending calls with bridge.unavailable', async () => {
    const h = load({ autoConnect: false, objects: {} });
    const early = h.api.invoke('early');
    h.connect();
    assert.equal((await rejection(early)).code, 'bridge.unavailable');
    assert.equal((await rejection(h.api.invoke('late'))).code, 'bridge.unavailable');
    assert.equal((await rejection(h.api.ready)).code, 'bridge.unavailable');
    assert.equal(h.posts.length, 0);
  });

  test('an unobserved ready rejection is not reported as unhandled', async () => {
    const seen = [];
    const onUnhandled = (reason) => seen.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      load({ qt: false });
      await macrotask();
      await macrotask();
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
    assert.deepEqual(seen, []);
  });
});

describe('the global', () => {
  test('__MYAPP__ is frozen, read-only and has the documented members', () => {
    const h = load();
    const api = h.api;
    assert.ok(Object.isFrozen(api));
    assert.deepEqual(Object.keys(api).sort(),
      ['Channel', 'IpcError', 'emit', 'emitTo', 'invoke', 'label', 'listen', 'once', 'openDevtools', 'ready', 'version']);
    assert.equal(api.label, undefined, 'the host passes the label; this load did not');
    assert.equal(load({ secret: '' }).api.label, 'main');
    assert.equal(api.version, 1);
    assert.equal(typeof api.invoke, 'function');
    assert.equal(typeof api.ready.then, 'function');
    vm.runInContext('__MYAPP__ = null; globalThis.__MYAPP__ = 1;', h.context);
    assert.equal(h.context.__MYAPP__, api);
    assert.throws(() => vm.runInContext('"use strict"; globalThis.__MYAPP__ = 1', h.context));
  });

  test('injecting the script twice keeps the first client', async () => {
    const h = await loadWelcomed();
    const api = h.api;
    vm.runInContext(CLIENT_SOURCE, h.context);
    assert.equal(h.context.__MYAPP__, api);
    await macrotask();
    assert.equal(h.posts.length, 1);
  });

  test('the client is a classic script that never needs a timer', async () => {
    assert.doesNotThrow(() => new vm.Script(CLIENT_SOURCE)); // would fail on import/export
    const h = await loadWelcomed();
    h.api.invoke('x');
    await macrotask();
    assert.equal(h.timers.length, 0);
  });
});

test('batches are split under the size the host accepts, and a message too large for it is refused', async () => {
  const h = await loadConnected();
  h.deliver([{ k: 'welcome', v: 1, label: 'main', limits: { batch: 300 } }]);
  await null;
  const before = h.posts.length;
  const calls = [h.api.invoke('a', { s: 'x'.repeat(40) }), h.api.invoke('b', { s: 'y'.repeat(40) })];
  await assert.rejects(h.api.invoke('c', { s: 'z'.repeat(400) }), (e) => e.code === 'limit.exceeded');
  await null;
  const sent = h.posts.slice(before);
  assert.equal(sent.length, 2, 'two 100-byte calls under a 300-byte limit (counted at 3 bytes a unit) go apart');
  for (const p of sent) assert.ok(p.length <= 300);
  h.deliver([{ k: 'result', id: 1, ok: 1 }, { k: 'result', id: 2, ok: 2 }]);
  assert.deepEqual(await Promise.all(calls), [1, 2]);
});
