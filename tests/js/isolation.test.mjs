// The client of an app with an isolation hook, in two vm contexts standing for the page's world
// and the isolation world (tests/js/harness.mjs, loadIsolated): the hook sees every message and
// what it returns is what the host gets; a refusal reaches the page; the page's world has no
// way to the web channel; bytes and the bulk lane work through the hook.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import vm from 'node:vm';
import { loadIsolated, loadIsolatedWelcomed, macrotask, plain, rejection } from './harness.mjs';

// A hook that records what it sees (as JSON, in the isolation world) and lets it through.
const RECORDING = `(m) => { (globalThis.seen = globalThis.seen || []).push(JSON.stringify(m)); return m; }`;
const seen = (h) => Array.from(h.isolation.seen || [], (s) => JSON.parse(s));
const after = (h) => h.messages().slice(1); // what went to the host after the hello

test('the page\'s world has no web channel, no secret and no lane: only the relay', async () => {
  const h = loadIsolated({ hook: RECORDING });
  assert.equal(h.context.qt, undefined);
  assert.equal(h.context.QWebChannel, undefined);
  assert.equal(typeof h.api.invoke, 'function');
  vm.runInContext('document.addEventListener("myapp-relay-in", (e) => { if (typeof e.detail === "string") globalThis.delivered = e.detail; })', h.context);
  await h.connected;
  h.deliver([{ k: 'welcome', v: 1, label: 'main', lane: 'ws://127.0.0.1:9/lanesecret', blobs: 'myapp://localhost/__myapp/blob/' }]);
  assert.equal((await h.api.ready).label, 'main');
  assert.deepEqual(JSON.parse(h.context.delivered), [{ k: 'welcome', v: 1, label: 'main', blobs: 'myapp://localhost/__myapp/blob/' }],
    'the welcome the page sees has no lane address');
  await macrotask();
  assert.deepEqual(h.messages(), [{ k: 'hello', v: 1 }, { k: 'ready' }]);
  assert.deepEqual(h.secrets, ['s3cret', 's3cret'], 'the isolation world posts, with its secret');
});

test('the hook sees every invoke, emit, listen, unlisten, cancel and credit, in order', async () => {
  const h = await loadIsolatedWelcomed({ hook: RECORDING });
  const ch = new h.api.Channel(() => {});
  const ac = new AbortController();
  h.api.invoke('greet', { name: 'Ada', ch }, { headers: { 'X-A': 'b' } });
  const slow = h.api.invoke('slow', {}, { signal: ac.signal });
  slow.catch(() => {});
  h.api.emit('ping', { n: 1 });
  h.api.emitTo('side', 'poke');
  const unlisten = await h.api.listen('tick', () => {});
  ac.abort();
  unlisten();
  await macrotask();
  h.deliver([{ k: 'chan', ch: ch.id, i: 0, data: 1 }]);
  await macrotask();
  assert.deepEqual(seen(h), [
    { kind: 'invoke', cmd: 'greet', args: { name: 'Ada', ch: { $channel: ch.id } }, headers: { 'X-A': 'b' } },
    { kind: 'invoke', cmd: 'slow', args: {} },
    { kind: 'emit', event: 'ping', payload: { n: 1 } },
    { kind: 'emit', event: 'poke', target: 'side' },
    { kind: 'listen', event: 'tick' },
    { kind: 'cancel', id: 2 },
    { kind: 'unlisten', event: 'tick' },
    { kind: 'credit', channel: ch.id, n: 1 },
  ]);
  assert.deepEqual(after(h).map((m) => m.k), ['invoke', 'invoke', 'emit', 'emit', 'listen', 'cancel', 'unlisten', 'credit']);
});

test('what the hook returns is what the host gets; emits and listens resolve once sent', async () => {
  const hook = `(m) => {
    if (m.kind === 'invoke') { m.args.name = m.args.name.toUpperCase(); m.headers = { 'X-Checked': '1' }; }
    if (m.kind === 'emit') m.payload = 'rewritten';
    return m;
  }`;
  const h = await loadIsolatedWelcomed({ hook });
  h.api.invoke('greet', { name: 'ada' });
  await h.api.emit('ping', 'original');
  await h.api.listen('tick', () => {});
  assert.deepEqual(after(h), [
    { k: 'invoke', id: 1, cmd: 'greet', args: { name: 'ADA' }, headers: { 'X-Checked': '1' } },
    { k: 'emit', event: 'ping', payload: 'rewritten' },
    { k: 'listen', event: 'tick' },
  ]);
});

test('a refusal reaches the page: the call, the emit and the listen reject with isolation.refused', async () => {
  const hook = `(m) => {
    if (m.kind === 'invoke' && m.cmd === 'delete_everything') return null;
    if (m.kind === 'invoke' && m.cmd === 'bad_path') throw new Error('path outside the app folder');
    if (m.kind === 'invoke' && m.cmd === 'as_error') return new Error('not with these arguments');
    if (m.kind === 'emit' && m.event === 'secret') return false;
    if (m.kind === 'listen' && m.event === 'private') throw new Error('no');
    return m;
  }`;
  const h = await loadIsolatedWelcomed({ hook });
  const results = await Promise.allSettled([
    h.api.invoke('delete_everything'), h.api.invoke('bad_path', { p: '/etc' }), h.api.invoke('as_error'),
    h.api.emit('secret'), h.api.listen('private', () => {}),
  ]);
  const errors = results.map((r) => r.reason);
  for (const e of errors) {
    assert.ok(e instanceof h.api.IpcError);
    assert.equal(e.code, 'isolation.refused');
  }
  assert.deepEqual(errors.map((e) => e.message), [
    'the isolation hook refused invoke("delete_everything"): the hook returned null',
    'the isolation hook refused invoke("bad_path"): path outside the app folder',
    'the isolation hook refused invoke("as_error"): not with these arguments',
    'the isolation hook refused emit("secret"): the hook returned false',
    'the isolation hook refused listen("private"): no',
  ]);
  assert.deepEqual(after(h), [], 'nothing refused reached the host');
  assert.equal(h.isolationLogs.warn.length, 5, 'each refusal is logged in the isolation world');
  // A refused call's channels close: nothing will feed them.
  const ch = new h.api.Channel(() => {});
  assert.equal((await rejection(h.api.invoke('delete_everything', { ch }))).code, 'isolation.refused');
  await ch.closed;
  // The page can still listen to that name later, once the hook allows it.
  assert.equal(await h.api.invoke('delete_everything').catch((e) => e.code), 'isolation.refused');
});

test('an asynchronous hook is awaited, and the batches after it keep their order', async () => {
  const hook = `(m) => m.kind === 'invoke' && m.cmd === 'first' ? new Promise((r) => setTimeout(() => r(m), 20)) : m`;
  const h = await loadIsolatedWelcomed({ hook });
  h.api.invoke('first');
  await macrotask();
  h.api.invoke('second');
  h.api.emit('third');
  await macrotask();
  assert.deepEqual(after(h), []);
  await new Promise((r) => setTimeout(r, 40));
  assert.deepEqual(after(h).map((m) => m.cmd || m.event), ['first', 'second', 'third']);
});

test('no hook, a hook of the wrong kind or shape: refused, with why', async () => {
  const none = await loadIsolatedWelcomed({});
  const e = await rejection(none.api.invoke('x'));
  assert.equal(e.code, 'isolation.refused');
  assert.match(e.message, /defines no __MYAPP_ISOLATION_HOOK__ function/);
  const h = await loadIsolatedWelcomed({
    hook: `(m) => m.cmd === 'kind' ? { kind: 'emit', event: 'x' } : m.cmd === 'args' ? { ...m, args: [1] } : m.cmd === 'big' ? { ...m, args: { n: 1n } } : m`,
  });
  assert.match((await rejection(h.api.invoke('kind'))).message, /returned a message of another kind/);
  assert.match((await rejection(h.api.invoke('args'))).message, /without a command name, plain args or string headers/);
  assert.match((await rejection(h.api.invoke('big'))).message, /cannot be written as JSON/);
  assert.deepEqual(after(h), []);
});

test('a main-world script cannot send past the hook: forged batches, a replaced JSON.stringify', async () => {
  const hook = `(m) => (m.kind === 'invoke' && m.cmd === 'evil') ? null : m`;
  const h = await loadIsolatedWelcomed({ hook });
  // A script that knows the relay's event and forges a batch, a hello and a ready.
  vm.runInContext(`document.dispatchEvent(new CustomEvent('myapp-relay-out', { detail: { k: 'batch',
    parts: ['{"k":"invoke","id":99,"cmd":"evil","args":{}}', '{"k":"hello","v":1}', '{"k":"ready"}', 'not json',
            '{"k":"invoke","id":100,"cmd":"fine","args":{},"extra":"smuggled"}'],
    bins: [], seqs: [] } }))`, h.context);
  // A script that patches JSON.stringify in the page's world changes nothing the hook lets out.
  vm.runInContext('JSON.stringify = () => \'{"k":"invoke","id":7,"cmd":"evil","args":{}}\';', h.context);
  await macrotask();
  assert.deepEqual(after(h), [{ k: 'invoke', id: 100, cmd: 'fine', args: {} }],
    'only what the hook allowed, written anew: no second hello or ready, nothing smuggled');
});

test('what the host gets is written anew: a duplicate key cannot show the hook one command and C++ another', async () => {
  const hook = `(m) => (m.kind === 'invoke' && m.cmd !== 'fine') ? null : m`;
  const h = await loadIsolatedWelcomed({ hook });
  // JSON.parse keeps the last of duplicate keys, C++'s parser the first: the text the host gets
  // is the one the hook judged, not the page's.
  vm.runInContext(`document.dispatchEvent(new CustomEvent('myapp-relay-out', { detail:
    '[{"k":"invoke","id":5,"cmd":"evil","cmd":"fine","args":{"a":1,"a":2}}]' }))`, h.context);
  await macrotask();
  assert.deepEqual(h.posts.slice(1), ['[{"k":"invoke","id":5,"cmd":"fine","args":{"a":2}}]']);
});

test('bytes reach the hook as bytes and the host as attachments', async () => {
  const hook = `(m) => { if (m.kind === 'invoke') globalThis.sawBytes = ArrayBuffer.isView(m.args.data) && m.args.data.length; return m; }`;
  const h = await loadIsolatedWelcomed({ hook });
  h.api.invoke('upload', { data: new Uint8Array([1, 2, 3]), nested: { b: new Uint8Array([9]).buffer } });
  await macrotask();
  assert.equal(h.isolation.sawBytes, 3);
  const [m] = after(h);
  assert.deepEqual(m.args, { data: { $bytes: 0 }, nested: { b: { $bytes: 1 } } });
  assert.deepEqual(m.bin, [{ b64: 'AQID' }, { b64: 'CQ==' }]);
});

test('large bytes go over the bulk lane, from the isolation world', async () => {
  const sockets = [];
  class FakeSocket {
    constructor(url) { this.url = url; this.sent = []; sockets.push(this); setTimeout(() => this.onopen(), 0); }
    send(m) { this.sent.push(typeof m === 'string' ? m : new Uint8Array(m)); }
  }
  const h = await loadIsolatedWelcomed({ hook: RECORDING, web: { WebSocket: FakeSocket } },
    { lane: 'ws://127.0.0.1:9/lanesecret', thresholds: { laneJson: 1000, laneBytes: 100, laneMax: 1 << 20 } });
  const data = new Uint8Array(500).fill(7);
  h.api.invoke('upload', { data });
  await new Promise((r) => setTimeout(r, 10));
  assert.equal(sockets.length, 1);
  assert.equal(sockets[0].url, 'ws://127.0.0.1:9/lanesecret');
  assert.equal(sockets[0].sent[0], 'u');
  assert.equal(sockets[0].sent[1].length, 500);
  assert.equal(sockets[0].sent[2], 'j');
  const batch = JSON.parse(new TextDecoder().decode(sockets[0].sent[3]));
  assert.deepEqual(plain(batch), [{ k: 'invoke', id: 1, cmd: 'upload', args: { data: { $bytes: 0 } }, bin: [{ lane: 0 }] }]);
  assert.equal(seen(h).length, 1);
});

test('results and events come back to the page as the host sent them', async () => {
  const h = await loadIsolatedWelcomed({ hook: RECORDING });
  const p = h.api.invoke('greet', { name: 'Ada' });
  const got = [];
  await h.api.listen('tick', (e) => got.push(e.payload));
  await macrotask();
  h.deliver([{ k: 'result', id: 1, ok: 'Hello, Ada!' }, { k: 'event', event: 'tick', id: 3, payload: 5 }]);
  assert.equal(await p, 'Hello, Ada!');
  assert.deepEqual(got, [5]);
});

test('when the web channel cannot open, the page\'s calls fail with why', async () => {
  const h = loadIsolated({ hook: RECORDING, autoConnect: false });
  const p = h.api.invoke('x');
  await macrotask();
  vm.runInContext('delete globalThis.qt;', h.isolation);
  // Fails the way the client fails without a bridge: the isolation world tells the page.
  vm.runInContext('document.dispatchEvent(new CustomEvent("myapp-relay-in", { detail: { k: "down", message: "no channel" } }))', h.isolation);
  const e = await rejection(p);
  assert.deepEqual([e.code, e.message], ['bridge.unavailable', 'no channel']);
});
