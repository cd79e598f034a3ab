// @myapp/api/mocks: a frontend tested with no webview. The handler's answers and errors reach
// the page as they are; malformed calls fail exactly as the real client fails them; channels
// deliver in order and close; events reach the handler, and the page's listeners when mocked.
import { test, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { load, rejection } from './harness.mjs';

import { mockIPC, mockWindows, clearMocks, sendToChannel, closeChannel } from '../../runtime-js/src/api/mocks.js';
import { invoke, Channel, IpcError, isMyapp } from '../../runtime-js/src/api/core.js';
import { listen, once, emit, emitTo } from '../../runtime-js/src/api/event.js';
import { getCurrentWindow } from '../../runtime-js/src/api/window.js';

afterEach(clearMocks);
const tick = () => new Promise((r) => setTimeout(r, 0));

test('the handler answers: values, promises, and what it throws or rejects with, as it is', async () => {
  const seen = [];
  mockIPC(async (cmd, args, options) => {
    seen.push([cmd, args, options]);
    switch (cmd) {
      case 'add': return args.a + args.b;
      case 'later': return new Promise((r) => setTimeout(() => r('done'), 1));
      case 'fail_text': throw 'no such file';
      case 'fail_object': throw { kind: 'io', message: 'denied' };
      case 'fail_ipc': throw new IpcError('app.code', 'from the handler');
      default: return undefined;
    }
  });
  assert.equal(await invoke('add', { a: 12, b: 15 }), 27);
  assert.equal(await invoke('later'), 'done');
  assert.equal(await invoke('unknown'), undefined);
  assert.equal(await rejection(invoke('fail_text')), 'no such file');
  assert.deepEqual(await rejection(invoke('fail_object')), { kind: 'io', message: 'denied' });
  const e = await rejection(invoke('fail_ipc'));
  assert.ok(e instanceof IpcError);
  assert.equal(e.code, 'app.code');
  assert.deepEqual(seen[0], ['add', { a: 12, b: 15 }, {}]);
  await invoke('add', { a: 1, b: 2 }, { headers: { 'X-Id': '7' } });
  assert.deepEqual(seen.at(-1)[2], { headers: { 'X-Id': '7' } });
  assert.equal(isMyapp(), false, 'a mock is not a webview');
});

test('a synchronous handler runs at once; the promise still settles later', async () => {
  const order = [];
  mockIPC(() => { order.push('handler'); return 1; });
  const p = invoke('x').then(() => order.push('settled'));
  order.push('returned');
  await p;
  assert.deepEqual(order, ['handler', 'returned', 'settled']);
});

test('malformed calls fail as the real client fails them, before the handler sees them', async () => {
  let asked = 0;
  mockIPC(() => { asked++; });
  const real = load({ autoConnect: false }).api;
  const cycle = {};
  cycle.self = cycle;
  const bad = [
    ['', {}], [42], ['x', [1, 2]], ['x', new Date()], ['x', {}, []], ['x', {}, { headers: { a: 1 } }],
    ['x', {}, { headers: 'a' }], ['x', {}, { signal: {} }], ['x', { n: 10n }], ['x', { cycle }],
  ];
  for (const args of bad) {
    const mine = await rejection(invoke(...args));
    const theirs = await rejection(real.invoke(...args));
    assert.ok(mine instanceof IpcError);
    assert.equal(mine.code, 'args.invalid');
    assert.equal(mine.code, theirs.code, JSON.stringify(args.map(String)));
    assert.equal(mine.message, theirs.message);
  }
  assert.equal(asked, 0);
});

test('an AbortSignal cancels: already aborted, or while the handler works', async () => {
  mockIPC((cmd, args, { signal }) => new Promise((resolve) => signal.addEventListener('abort', () => resolve('late'))));
  const before = new AbortController();
  before.abort();
  assert.equal((await rejection(invoke('slow', {}, { signal: before.signal }))).code, 'cancelled');
  const ac = new AbortController();
  const p = invoke('slow', {}, { signal: ac.signal });
  ac.abort();
  const e = await rejection(p);
  assert.ok(e instanceof IpcError);
  assert.deepEqual([e.code, e.message], ['cancelled', 'invoke("slow") was aborted']);
});

test('channels: frames in order after the handler returns, a throwing onmessage does not stop them, then close', async () => {
  mockIPC((cmd, { progress }) => {
    for (const p of [10, 50, 100]) sendToChannel(progress, { p });
    closeChannel(progress);
    return 'started';
  });
  const got = [];
  let closedFirst = false;
  const progress = new Channel((f) => {
    got.push(f.p);
    if (f.p === 10) throw new Error('a bug in the page');
  });
  progress.onclose = () => { closedFirst = got.length === 3; };
  const errors = [];
  const saved = console.error;
  console.error = (...a) => errors.push(a.join(' '));
  try {
    const call = invoke('download', { progress });
    assert.deepEqual(got, [], 'frames arrive after the handler returned, not inside it');
    assert.equal(await call, 'started');
    await progress.closed;
  } finally {
    console.error = saved;
  }
  assert.deepEqual(got, [10, 50, 100]);
  assert.ok(closedFirst, 'onclose runs after the last frame');
  assert.equal(errors.length, 1);
  assert.throws(() => sendToChannel(progress, 1), (e) => e.code === 'channel.closed');
  assert.throws(() => sendToChannel({}, 1), (e) => e.code === 'args.invalid');
  clearMocks();
  assert.throws(() => closeChannel(new Channel()), (e) => e.code === 'bridge.unavailable');
});

test('a Tauri-style handler may call onmessage itself', async () => {
  mockIPC((cmd, { onEvent }) => { onEvent.onmessage('direct'); });
  const got = [];
  await invoke('x', { onEvent: new Channel((d) => got.push(d)) });
  assert.deepEqual(got, ['direct']);
});

test('events reach the handler as plugin:event commands; with shouldMockEvents, emit reaches listeners', async () => {
  const seen = [];
  mockIPC((cmd, args) => { seen.push([cmd, args]); }, { shouldMockEvents: true });
  mockWindows('main', 'side');
  const got = [];
  const unlisten = await listen('tick', (e) => got.push([e.event, e.payload]));
  await once('tick', (e) => got.push(['once', e.payload]));
  await emit('tick', 1);
  await emit('tick', 2);
  await emitTo('main', 'tick', 3);
  await emitTo('side', 'tick', 4);
  await emitTo({ kind: 'WebviewWindow', label: 'main' }, 'tick', 5);
  unlisten();
  await emit('tick', 6);
  assert.deepEqual(got, [['tick', 1], ['once', 1], ['tick', 2], ['tick', 3], ['tick', 5]]);
  assert.deepEqual(seen, [
    ['plugin:event|listen', { event: 'tick' }],
    ['plugin:event|listen', { event: 'tick' }],
    ['plugin:event|emit', { event: 'tick', payload: 1 }],
    ['plugin:event|emit', { event: 'tick', payload: 2 }],
    ['plugin:event|emit_to', { target: 'main', event: 'tick', payload: 3 }],
    ['plugin:event|emit_to', { target: 'side', event: 'tick', payload: 4 }],
    ['plugin:event|emit_to', { target: 'main', event: 'tick', payload: 5 }],
    ['plugin:event|unlisten', { event: 'tick' }],
    ['plugin:event|emit', { event: 'tick', payload: 6 }],
  ]);
});

test('without shouldMockEvents, emits reach the handler only; what it throws rejects them', async () => {
  mockIPC((cmd, args) => {
    if (cmd === 'plugin:event|emit' && args.event === 'secret') throw new IpcError('acl.denied', 'not allowed');
  });
  const got = [];
  await listen('tick', () => got.push(1));
  await emit('tick');
  await tick();
  assert.deepEqual(got, []);
  assert.equal((await rejection(emit('secret'))).code, 'acl.denied');
  assert.equal((await rejection(listen('bad name', () => {}))).code, 'event.invalid_name');
  assert.equal((await rejection(listen('ok', 'not a function'))).code, 'args.invalid');
  assert.equal((await rejection(emit('x', { n: 1n }))).code, 'args.invalid');
});

test('mockWindows alone answers the window list; other calls say no handler is mocked', async () => {
  mockWindows('main');
  assert.equal(getCurrentWindow().label, 'main');
  const e = await rejection(invoke('greet'));
  assert.equal(e.code, 'bridge.unavailable');
  assert.match(e.message, /call mockIPC\(handler\) first/);
  assert.throws(() => mockWindows(''), (x) => x.code === 'args.invalid');
  assert.throws(() => mockIPC('nope'), (x) => x.code === 'args.invalid');
});

test('clearMocks goes back to no backend at all', async () => {
  mockIPC(() => 1);
  assert.equal(await invoke('x'), 1);
  clearMocks();
  assert.equal((await rejection(invoke('x'))).code, 'bridge.unavailable');
  clearMocks(); // twice is harmless
});

test('a raw body and a Headers object reach the handler as the real client sends them', async () => {
  let got;
  mockIPC((cmd, args, options) => { got = [cmd, args, options.headers]; return args.byteLength; });
  const body = new Uint8Array([1, 2, 3]);
  assert.equal(await invoke('upload', body, { headers: new Headers({ authorization: 'k' }) }), 3);
  assert.equal(got[0], 'upload');
  assert.equal(got[1], body);
  assert.equal(got[2].get('authorization'), 'k');
});
