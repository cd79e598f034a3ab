// Cancellation of invoke() through options.signal (docs/protocol.md: `cancel`, `cancelled`).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { getEventListeners } from 'node:events';
import { load, loadWelcomed, macrotask, rejection } from './harness.mjs';

test('an already aborted signal rejects with cancelled and sends nothing', async () => {
  const h = await loadWelcomed();
  const ac = new AbortController();
  ac.abort(new Error('user left'));
  const e = await rejection(h.api.invoke('slow', {}, { signal: ac.signal }));
  assert.ok(e instanceof h.api.IpcError);
  assert.equal(e.code, 'cancelled');
  assert.match(e.message, /"slow".*aborted: user left/);
  await macrotask();
  assert.equal(h.posts.length, 1, 'only hello was posted');
  assert.equal(getEventListeners(ac.signal, 'abort').length, 0);
  // The next call still gets id 1.
  h.api.invoke('next');
  await null;
  assert.equal(h.batches()[1][0].id, 1);
});

test('aborting a pending call rejects it at once and queues a cancel in the next batch', async () => {
  const h = await loadWelcomed();
  const ac = new AbortController();
  const call = h.api.invoke('slow', { n: 1 }, { signal: ac.signal });
  let error = null;
  call.catch((e) => { error = e; });
  await null;
  assert.deepEqual(h.batches()[1], [{ k: 'invoke', id: 1, cmd: 'slow', args: { n: 1 } }]);
  ac.abort();
  await null; // one microtask: the rejection is already there
  assert.ok(error instanceof h.api.IpcError);
  assert.equal(error.code, 'cancelled');
  assert.match(error.message, /invoke\("slow"\) was aborted/);
  await macrotask();
  assert.deepEqual(h.posts.slice(2), ['[{"k":"cancel","id":1}]']);
  assert.equal(getEventListeners(ac.signal, 'abort').length, 0);
});

test('the signal does not go on the wire and headers still do', async () => {
  const h = await loadWelcomed();
  h.api.invoke('x', {}, { headers: { a: 'b' }, signal: new AbortController().signal });
  await null;
  assert.equal(h.posts[1], '[{"k":"invoke","id":1,"cmd":"x","args":{},"headers":{"a":"b"}}]');
});

test('an abort in the same tick as the call sends invoke then cancel in one batch', async () => {
  const h = await loadWelcomed();
  const ac = new AbortController();
  const call = h.api.invoke('x', {}, { signal: ac.signal });
  ac.abort();
  assert.equal((await rejection(call)).code, 'cancelled');
  assert.deepEqual(h.batches().slice(1), [[{ k: 'invoke', id: 1, cmd: 'x', args: {} }, { k: 'cancel', id: 1 }]]);
});

test('a late result or error for a cancelled id is dropped silently, once', async () => {
  const h = await loadWelcomed();
  const a = new AbortController();
  const b = new AbortController();
  const first = h.api.invoke('a', {}, { signal: a.signal });
  const second = h.api.invoke('b', {}, { signal: b.signal });
  const third = h.api.invoke('c');
  await null;
  a.abort();
  b.abort();
  await Promise.allSettled([first, second]);
  h.deliver([
    { k: 'result', id: 1, ok: 'too late' },
    { k: 'error', id: 2, error: { code: 'handler.failed', message: 'too late' } },
    { k: 'result', id: 3, ok: 'in time' },
  ]);
  assert.equal(await third, 'in time');
  assert.equal((await rejection(first)).code, 'cancelled');
  assert.equal((await rejection(second)).code, 'cancelled');
  assert.deepEqual(h.logs.warn, []);
  assert.deepEqual(h.logs.error, []);
  // Forgotten after the first late answer: a second one is an unknown id again.
  h.deliver([{ k: 'result', id: 1, ok: 'again' }, { k: 'result', id: 42, ok: 'never used' }]);
  assert.equal(h.logs.warn.length, 2);
});

test('aborting after the call settled does nothing', async () => {
  const h = await loadWelcomed();
  const ok = new AbortController();
  const bad = new AbortController();
  const call = h.api.invoke('x', {}, { signal: ok.signal });
  const failing = h.api.invoke('y', {}, { signal: bad.signal });
  await null;
  h.deliver([
    { k: 'result', id: 1, ok: 'done' },
    { k: 'error', id: 2, error: { code: 'my.code', message: 'no' } },
  ]);
  assert.equal(await call, 'done');
  assert.equal((await rejection(failing)).code, 'my.code');
  assert.equal(getEventListeners(ok.signal, 'abort').length, 0);
  assert.equal(getEventListeners(bad.signal, 'abort').length, 0);
  ok.abort();
  bad.abort();
  await macrotask();
  assert.equal(h.posts.length, 2, 'no cancel was sent');
  assert.deepEqual(h.logs.warn, []);
});

test('100k calls sharing one signal leave no listener behind', async () => {
  const h = await loadWelcomed();
  const ac = new AbortController();
  const calls = [];
  for (let i = 0; i < 100_000; i++) calls.push(h.api.invoke('n', undefined, { signal: ac.signal }));
  assert.equal(getEventListeners(ac.signal, 'abort').length, 1, 'one listener, shared');
  await null;
  h.deliver(h.batches().slice(1).flat().map((m) => ({ k: 'result', id: m.id, ok: 0 })));
  await Promise.all(calls);
  assert.equal(getEventListeners(ac.signal, 'abort').length, 0);
});

test('10k calls one after the other, each with its own signal, leave no listener behind', async () => {
  const h = await loadWelcomed();
  const signals = [];
  for (let i = 1; i <= 10_000; i++) {
    const ac = new AbortController();
    if (i % 1000 === 0) signals.push(ac.signal);
    const call = h.api.invoke('n', undefined, { signal: ac.signal });
    h.deliver([{ k: 'result', id: i, ok: i }]);
    assert.equal(await call, i);
  }
  for (const s of signals) assert.equal(getEventListeners(s, 'abort').length, 0);
});

test('aborting a signal shared by several pending calls cancels each of them, in order', async () => {
  const h = await loadWelcomed();
  const ac = new AbortController();
  const calls = [1, 2, 3].map((n) => h.api.invoke('c' + n, {}, { signal: ac.signal }));
  const other = h.api.invoke('other', {}, { signal: new AbortController().signal });
  await null;
  h.deliver([{ k: 'result', id: 2, ok: 'done' }]);
  ac.abort();
  assert.equal((await rejection(calls[0])).code, 'cancelled');
  assert.equal(await calls[1], 'done');
  assert.match((await rejection(calls[2])).message, /"c3"/);
  assert.equal(getEventListeners(ac.signal, 'abort').length, 0);
  await macrotask();
  assert.deepEqual(h.batches()[2], [{ k: 'cancel', id: 1 }, { k: 'cancel', id: 3 }]);
  h.deliver([{ k: 'result', id: 4, ok: 'fine' }]);
  assert.equal(await other, 'fine');
});

test('a signal-like object works; anything else rejects with args.invalid', async () => {
  const h = await loadWelcomed();
  const added = [];
  const removed = [];
  const fake = {
    aborted: false,
    reason: undefined,
    addEventListener: (type, fn) => added.push([type, fn]),
    removeEventListener: (type, fn) => removed.push([type, fn]),
  };
  const call = h.api.invoke('x', {}, { signal: fake });
  assert.equal(added.length, 1);
  assert.equal(added[0][0], 'abort');
  fake.aborted = true;
  fake.reason = 'not an Error';
  added[0][1]();
  const e = await rejection(call);
  assert.equal(e.code, 'cancelled');
  assert.equal(e.message, 'invoke("x") was aborted');
  assert.deepEqual(removed, added);

  for (const signal of [null, 1, 'abort', {}, { aborted: 'no', addEventListener() {} }, { aborted: false }]) {
    const err = await rejection(h.api.invoke('x', {}, { signal }));
    assert.equal(err.code, 'args.invalid');
    assert.match(err.message, /options\.signal must be an AbortSignal/);
  }
  await macrotask();
  assert.deepEqual(h.messages().slice(1), [{ k: 'invoke', id: 1, cmd: 'x', args: {} }, { k: 'cancel', id: 1 }]);
});

test('a failed connection rejects calls with a signal and removes their listeners', async () => {
  const h = load({ autoConnect: false, objects: {} });
  const ac = new AbortController();
  const call = h.api.invoke('x', {}, { signal: ac.signal });
  h.connect();
  assert.equal((await rejection(call)).code, 'bridge.unavailable');
  assert.equal(getEventListeners(ac.signal, 'abort').length, 0);
});
