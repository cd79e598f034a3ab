// listen / once / emit / emitTo (docs/protocol.md: `listen`, `unlisten`, `emit`, `event`).
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { load, loadWelcomed, macrotask, plain, rejection } from './harness.mjs';

const event = (name, id, payload) => ({ k: 'event', event: name, id, payload });

test('two listeners of one name send one listen, and one unlisten after both are gone', async () => {
  const h = await loadWelcomed();
  const un1 = await h.api.listen('file/saved', () => {});
  const un2 = await h.api.listen('file/saved', () => {});
  await macrotask();
  assert.deepEqual(h.posts.slice(1), ['[{"k":"listen","event":"file/saved"}]']);
  un1();
  await macrotask();
  assert.equal(h.posts.length, 2, 'a listener is left: nothing sent');
  un2();
  un2();
  un1();
  await macrotask();
  assert.deepEqual(h.posts.slice(2), ['[{"k":"unlisten","event":"file/saved"}]']);
  // Listening again sends listen again.
  await h.api.listen('file/saved', () => {});
  await macrotask();
  assert.deepEqual(h.posts.slice(3), ['[{"k":"listen","event":"file/saved"}]']);
});

test('listens of different names in one tick share a batch', async () => {
  const h = await loadWelcomed();
  h.api.listen('a', () => {});
  h.api.listen('b:c_d-1', () => {});
  h.api.listen('a', () => {});
  await null;
  assert.deepEqual(h.batches()[1], [{ k: 'listen', event: 'a' }, { k: 'listen', event: 'b:c_d-1' }]);
});

test('every handler of the name receives {event, id, payload}', async () => {
  const h = await loadWelcomed();
  const seen = [];
  await h.api.listen('tick', (e) => seen.push(['first', plain(e)]));
  await h.api.listen('tick', (e) => seen.push(['second', plain(e)]));
  await h.api.listen('other', (e) => seen.push(['other', plain(e)]));
  h.deliver([event('tick', 7, { n: 1 }), event('other', 8, null), event('tick', 9, [2])]);
  assert.deepEqual(seen, [
    ['first', { event: 'tick', id: 7, payload: { n: 1 } }],
    ['second', { event: 'tick', id: 7, payload: { n: 1 } }],
    ['other', { event: 'other', id: 8, payload: null }],
    ['first', { event: 'tick', id: 9, payload: [2] }],
    ['second', { event: 'tick', id: 9, payload: [2] }],
  ]);
  assert.deepEqual(h.logs.warn, []);
});

test('the same function listened twice is called twice, and each unlisten removes one', async () => {
  const h = await loadWelcomed();
  let calls = 0;
  const fn = () => { calls++; };
  const un1 = await h.api.listen('x', fn);
  await h.api.listen('x', fn);
  h.deliver([event('x', 1)]);
  assert.equal(calls, 2);
  un1();
  h.deliver([event('x', 2)]);
  assert.equal(calls, 3);
});

test('once fires for the first event only and unlistens', async () => {
  const h = await loadWelcomed();
  const seen = [];
  await h.api.once('boot', (e) => seen.push(e.id));
  await macrotask();
  h.deliver([event('boot', 1, 'a'), event('boot', 2, 'b')]);
  h.deliver([event('boot', 3, 'c')]);
  assert.deepEqual(seen, [1]);
  await macrotask();
  assert.deepEqual(h.messages().slice(1), [{ k: 'listen', event: 'boot' }, { k: 'unlisten', event: 'boot' }]);
});

test('unlistening a once before it fires works, and later calls do nothing', async () => {
  const h = await loadWelcomed();
  let called = false;
  const un = await h.api.once('x', () => { called = true; });
  un();
  h.deliver([event('x', 1)]);
  un();
  assert.equal(called, false);
  await macrotask();
  assert.deepEqual(h.messages().slice(1), [{ k: 'listen', event: 'x' }, { k: 'unlisten', event: 'x' }]);
});

test('a throwing handler is logged and does not stop other handlers or later events', async () => {
  const h = await loadWelcomed();
  const seen = [];
  await h.api.listen('x', () => { throw new Error('boom'); });
  await h.api.listen('x', (e) => seen.push(e.id));
  h.deliver([event('x', 1), event('x', 2)]);
  assert.deepEqual(seen, [1, 2]);
  assert.equal(h.logs.error.length, 2);
  assert.match(h.logs.error[0], /"x".*boom/);
});

test('handlers added or removed during a dispatch are safe', async () => {
  const h = await loadWelcomed();
  const seen = [];
  let unB;
  await h.api.listen('x', (e) => {
    seen.push('a' + e.id);
    if (e.id === 1) {
      unB();
      h.api.listen('x', (e2) => seen.push('c' + e2.id));
    }
  });
  unB = await h.api.listen('x', (e) => seen.push('b' + e.id));
  h.deliver([event('x', 1), event('x', 2)]);
  // b is removed before its turn in event 1; c, added during event 1, starts with event 2.
  assert.deepEqual(seen, ['a1', 'a2', 'c2']);
  assert.deepEqual(h.logs.error, []);
});

test('an unlisten from inside its own handler stops later events', async () => {
  const h = await loadWelcomed();
  const seen = [];
  const un = await h.api.listen('x', (e) => { seen.push(e.id); un(); });
  h.deliver([event('x', 1), event('x', 2)]);
  assert.deepEqual(seen, [1]);
});

test('events nobody listens to are dropped silently; nameless ones with a warning', async () => {
  const h = await loadWelcomed();
  h.deliver([event('nobody', 1, 0), { k: 'event', id: 2 }]);
  assert.equal(h.logs.warn.length, 1);
  assert.deepEqual(h.logs.error, []);
});

test('invalid names reject with event.invalid_name, quoting the name, and post nothing', async () => {
  const h = await loadWelcomed();
  const fn = () => {};
  const bad = ['', 'has space', 'dot.ted', 'é', 'a'.repeat(129), 'new\nline'];
  for (const name of bad) {
    for (const p of [h.api.listen(name, fn), h.api.once(name, fn), h.api.emit(name, 1), h.api.emitTo('main', name)]) {
      const e = await rejection(p);
      assert.ok(e instanceof h.api.IpcError);
      assert.equal(e.code, 'event.invalid_name');
      assert.ok(e.message.includes(JSON.stringify(name)), e.message);
    }
  }
  for (const name of [undefined, null, 42, {}]) {
    assert.equal((await rejection(h.api.listen(name, fn))).code, 'event.invalid_name');
    assert.equal((await rejection(h.api.emit(name))).code, 'event.invalid_name');
  }
  await h.api.listen('a'.repeat(128), fn);
  await h.api.listen('AZaz09-/:_', fn);
  await macrotask();
  assert.deepEqual(h.messages().slice(1), [
    { k: 'listen', event: 'a'.repeat(128) },
    { k: 'listen', event: 'AZaz09-/:_' },
  ]);
});

test('a handler that is not a function rejects with args.invalid', async () => {
  const h = await loadWelcomed();
  for (const handler of [undefined, null, 'fn', {}]) {
    const e = await rejection(h.api.listen('x', handler));
    assert.equal(e.code, 'args.invalid');
    assert.match(e.message, /handler must be a function/);
    assert.equal((await rejection(h.api.once('x', handler))).code, 'args.invalid');
  }
  await macrotask();
  assert.equal(h.posts.length, 1);
});

test('emit and emitTo wire format', async () => {
  const h = await loadWelcomed();
  const sent = [
    h.api.emit('a', { x: 1 }),
    h.api.emit('b'),
    h.api.emit('c', null),
    h.api.emitTo('side', 'd', [1]),
    h.api.emitTo('side', 'e'),
  ];
  assert.equal(h.posts.length, 1);
  assert.deepEqual(await Promise.all(sent), [undefined, undefined, undefined, undefined, undefined]);
  assert.deepEqual(h.posts.slice(1), [
    '[{"k":"emit","event":"a","payload":{"x":1}},' +
      '{"k":"emit","event":"b"},' +
      '{"k":"emit","event":"c","payload":null},' +
      '{"k":"emit","event":"d","payload":[1],"target":"side"},' +
      '{"k":"emit","event":"e","target":"side"}]',
  ]);
});

test('the payload is serialized at call time; a bad one rejects that emit alone', async () => {
  const h = await loadWelcomed();
  const cyclic = {};
  cyclic.self = cyclic;
  const payload = { v: 'before' };
  const ok = h.api.emit('ok', payload);
  payload.v = 'after';
  const big = await rejection(h.api.emit('big', 1n));
  const loop = await rejection(h.api.emitTo('main', 'loop', cyclic));
  assert.equal(big.code, 'args.invalid');
  assert.match(big.message, /"big".*BigInt/);
  assert.equal(loop.code, 'args.invalid');
  assert.match(loop.message, /"loop".*circular/i);
  await ok;
  assert.deepEqual(h.messages().slice(1), [{ k: 'emit', event: 'ok', payload: { v: 'before' } }]);
});

test('emitTo needs a non-empty string target', async () => {
  const h = await loadWelcomed();
  for (const target of ['', undefined, null, 3, ['main']]) {
    const e = await rejection(h.api.emitTo(target, 'x'));
    assert.equal(e.code, 'args.invalid');
    assert.match(e.message, /target must be a non-empty string/);
  }
  await macrotask();
  assert.equal(h.posts.length, 1);
});

test('emit resolves once posted; a failing post rejects it with bridge.unavailable', async () => {
  const h = await loadWelcomed();
  h.bridge.post = () => { throw new Error('gone'); };
  const e = await rejection(h.api.emit('x', 1));
  assert.equal(e.code, 'bridge.unavailable');
  assert.match(e.message, /gone/);
});

test('emits and listens made before the channel connects go out with hello', async () => {
  const h = load({ autoConnect: false });
  const sent = h.api.emit('early', 1);
  const listening = h.api.listen('early', () => {});
  h.connect();
  assert.deepEqual(h.batches(), [[
    { k: 'hello', v: 1 },
    { k: 'emit', event: 'early', payload: 1 },
    { k: 'listen', event: 'early' },
  ]]);
  // They settle once the welcome says they were allowed.
  h.deliver([{ k: 'welcome', v: 1, label: 'main' }]);
  await sent;
  assert.equal(typeof await listening, 'function');
});

test('the welcome names the event operations the capabilities refuse: they reject with acl.denied', async () => {
  const why = '`core:event|listen` is not allowed for window `main`: no capability that matches it grants it';
  const h = load({ autoConnect: false });
  const early = h.api.listen('early', () => { throw new Error('must not be called'); });
  const earlyEmit = h.api.emit('early', 1);
  h.connect();
  h.deliver([{ k: 'welcome', v: 1, label: 'main', denied: { listen: why, emit: 'no emit here' } }]);
  const e = await rejection(early);
  assert.equal(e.code, 'acl.denied');
  assert.equal(e.message, 'listen(): ' + why);
  assert.equal((await rejection(earlyEmit)).message, 'emit(): no emit here');
  h.deliver([{ k: 'event', event: 'early', id: 1, payload: 1 }]);  // dropped: nobody listens

  const posted = h.posts.length;
  assert.equal((await rejection(h.api.listen('later', () => {}))).message, 'listen(): ' + why);
  assert.equal((await rejection(h.api.once('later', () => {}))).message, 'once(): ' + why);
  assert.equal((await rejection(h.api.emit('later'))).code, 'acl.denied');
  await macrotask();
  assert.equal(h.posts.length, posted, 'nothing refused was sent');
  await h.api.emitTo('other', 'allowed');  // emitTo was not refused
});

test('without a bridge every event function rejects with bridge.unavailable', async () => {
  const h = load({ qt: false });
  for (const p of [h.api.listen('x', () => {}), h.api.once('x', () => {}), h.api.emit('x'), h.api.emitTo('main', 'x')])
    assert.equal((await rejection(p)).code, 'bridge.unavailable');
  const failed = load({ autoConnect: false, objects: {} });
  const early = failed.api.emit('x');
  failed.connect();
  assert.equal((await rejection(early)).code, 'bridge.unavailable');
});

describe('the host\'s limit on listened event names', () => {
  test('listen() past the welcome\'s limits.listens rejects with limit.exceeded, sending nothing', async () => {
    const h = await loadWelcomed({}, { limits: { batch: 1 << 20, listens: 2 } });
    await h.api.listen('a', () => {});
    await h.api.listen('b', () => {});
    await h.api.listen('a', () => {});  // another listener of a name already listened: fine
    await macrotask();
    const sent = h.posts.length;
    const e = await rejection(h.api.listen('c', () => {}));
    assert.equal(e.code, 'limit.exceeded');
    assert.match(e.message, /listen\(\): the page already listens to 2 event names/);
    await macrotask();
    assert.equal(h.posts.length, sent);
  });
});

describe('windows a page asks for', () => {
  test('window.open() is refused at once with null, and says why', async () => {
    const h = await loadWelcomed();
    assert.equal(h.context.open('https://example.invalid/'), null);
    assert.match(h.logs.warn.join('\n'), /window\.open\("https:\/\/example\.invalid\/"\) refused: windows are created by the app/);
  });
});
