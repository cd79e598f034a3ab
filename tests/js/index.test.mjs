// Tests for runtime-js/index.js, the ES module entry (@myapp/api).
// Each import carries its own query string, so every case gets a fresh module instance.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, existsSync } from 'node:fs';
import { loadWelcomed, rejection } from './harness.mjs';

const INDEX = new URL('../../runtime-js/index.js', import.meta.url);
let seq = 0;
const freshIndex = () => import(`${INDEX.href}?case=${++seq}`);

async function withGlobal(value, fn) {
  const had = Object.prototype.hasOwnProperty.call(globalThis, '__MYAPP__');
  const old = globalThis.__MYAPP__;
  if (value === undefined) delete globalThis.__MYAPP__;
  else globalThis.__MYAPP__ = value;
  try {
    return await fn();
  } finally {
    if (had) globalThis.__MYAPP__ = old;
    else delete globalThis.__MYAPP__;
  }
}

test('only named exports: the core API, the window API and the desktop plugins\' namespaces', async () => {
  const mod = await withGlobal(undefined, freshIndex);
  assert.deepEqual(Object.keys(mod).sort(),
    ['Channel', 'IpcError', 'WebviewWindow', 'Window', 'clipboard', 'dialog', 'emit', 'emitTo',
      'getAllWindows', 'getCurrentWebviewWindow', 'getCurrentWindow', 'invoke', 'listen', 'menu',
      'once', 'opener', 'ready', 'tray']);
  await rejection(mod.ready);
});

test('delegates to the injected __MYAPP__ and shares its IpcError and ready', async () => {
  class StubError extends Error {}
  const calls = [];
  const answer = Promise.resolve('answer');
  const stub = {
    version: 1,
    IpcError: StubError,
    ready: Promise.resolve({ label: 'main', version: 1 }),
    invoke: (...a) => { calls.push(a); return answer; },
  };
  const mod = await withGlobal(stub, freshIndex);
  assert.equal(mod.IpcError, StubError);
  assert.equal(mod.ready, stub.ready);
  // Delegation looks __MYAPP__ up at call time.
  await withGlobal(stub, async () => {
    assert.equal(mod.invoke('greet', { name: 'Ada' }, { headers: { a: 'b' } }), answer);
    mod.invoke('bare');
  });
  assert.deepEqual(calls, [['greet', { name: 'Ada' }, { headers: { a: 'b' } }], ['bare']]);
});

test('without __MYAPP__, invoke and ready reject with bridge.unavailable', async () => {
  const mod = await withGlobal(undefined, freshIndex);
  let result;
  assert.doesNotThrow(() => { result = mod.invoke('x'); }, 'invoke never throws synchronously');
  const e = await rejection(result);
  assert.ok(e instanceof mod.IpcError);
  assert.ok(e instanceof Error);
  assert.equal(e.name, 'IpcError');
  assert.equal(e.code, 'bridge.unavailable');
  assert.equal(e.message, 'window.__MYAPP__ is missing: this page is not running inside a myapp webview');
  assert.equal(e.data, undefined);
  const r = await rejection(mod.ready);
  assert.ok(r instanceof mod.IpcError);
  assert.equal(r.code, 'bridge.unavailable');
  const own = new mod.IpcError('app.code', 'text', { x: 1 });
  assert.deepEqual([own.name, own.code, own.message, own.data], ['IpcError', 'app.code', 'text', { x: 1 }]);
});

test('listen, once, emit and emitTo delegate at call time; Channel is the injected class', async () => {
  class StubChannel {}
  const calls = [];
  const stub = { IpcError: Error, Channel: StubChannel, ready: Promise.resolve({}) };
  for (const name of ['listen', 'once', 'emit', 'emitTo']) {
    stub[name] = (...a) => { calls.push([name, ...a]); return name; };
  }
  const mod = await withGlobal(stub, freshIndex);
  assert.equal(mod.Channel, StubChannel);
  const fn = () => {};
  await withGlobal(stub, async () => {
    assert.equal(mod.listen('a', fn), 'listen');
    assert.equal(mod.once('b', fn), 'once');
    assert.equal(mod.emit('c', 1), 'emit');
    assert.equal(mod.emitTo('main', 'd'), 'emitTo');
  });
  assert.deepEqual(calls, [['listen', 'a', fn], ['once', 'b', fn], ['emit', 'c', 1], ['emitTo', 'main', 'd']]);
  assert.deepEqual([mod.invoke.name, mod.listen.name, mod.emitTo.name], ['invoke', 'listen', 'emitTo']);
});

test('without __MYAPP__, the event functions reject and Channel throws bridge.unavailable', async () => {
  const mod = await withGlobal(undefined, freshIndex);
  await rejection(mod.ready);
  for (const p of [mod.listen('x', () => {}), mod.once('x', () => {}), mod.emit('x'), mod.emitTo('main', 'x')]) {
    const e = await rejection(p);
    assert.ok(e instanceof mod.IpcError);
    assert.equal(e.code, 'bridge.unavailable');
  }
  assert.throws(() => new mod.Channel(() => {}), (e) => e instanceof mod.IpcError && e.code === 'bridge.unavailable');
});

test('with the real injected client, events and channels go through it', async () => {
  const h = await loadWelcomed();
  await withGlobal(h.api, async () => {
    const mod = await freshIndex();
    assert.equal(mod.Channel, h.api.Channel);
    const seen = [];
    await mod.listen('tick', (e) => seen.push(e.payload));
    const got = [];
    const ch = new mod.Channel((d) => got.push(d));
    mod.invoke('stream', { ch });
    await mod.emit('tick', 1);
    assert.deepEqual(h.messages().slice(1), [
      { k: 'listen', event: 'tick' },
      { k: 'invoke', id: 1, cmd: 'stream', args: { ch: { $channel: ch.id } } },
      { k: 'emit', event: 'tick', payload: 1 },
    ]);
    h.deliver([{ k: 'event', event: 'tick', id: 1, payload: 1 }, { k: 'chan', ch: ch.id, i: 0, data: 'f' }]);
    assert.deepEqual(seen, [1]);
    assert.deepEqual(got, ['f']);
  });
});

test('with the real injected client, errors are instances of the exported IpcError', async () => {
  const h = await loadWelcomed();
  await withGlobal(h.api, async () => {
    const mod = await freshIndex();
    assert.equal(mod.IpcError, h.api.IpcError);
    assert.equal(mod.ready, h.api.ready);
    const ok = mod.invoke('greet', { name: 'Ada' });
    const bad = mod.invoke('nope');
    await null;
    assert.deepEqual(h.batches()[1], [
      { k: 'invoke', id: 1, cmd: 'greet', args: { name: 'Ada' } },
      { k: 'invoke', id: 2, cmd: 'nope', args: {} },
    ]);
    h.deliver([
      { k: 'result', id: 1, ok: 'Hello, Ada!' },
      { k: 'error', id: 2, error: { code: 'command.not_found', message: 'no command "nope"' } },
    ]);
    assert.equal(await ok, 'Hello, Ada!');
    const e = await rejection(bad);
    assert.ok(e instanceof mod.IpcError);
    assert.equal(e.code, 'command.not_found');
    assert.equal((await mod.ready).label, 'main');
  });
});

test('package.json exports point at files that exist, and index.d.ts declares every export', async () => {
  const root = new URL('../../runtime-js/', import.meta.url);
  const pkg = JSON.parse(readFileSync(new URL('package.json', root), 'utf8'));
  assert.equal(pkg.name, '@myapp/api');
  assert.equal(pkg.type, 'module');
  assert.equal(pkg.dependencies, undefined);
  const entry = pkg.exports['.'];
  for (const f of [entry.types, entry.default, ...pkg.files]) assert.ok(existsSync(new URL(f, root)), f);
  const dts = readFileSync(new URL('index.d.ts', root), 'utf8');
  const mod = await withGlobal(undefined, freshIndex);
  await rejection(mod.ready);
  for (const name of Object.keys(mod)) {
    // A plugin's namespace is declared by re-exporting its own declarations.
    assert.match(dts, new RegExp(`export ((function|const|class) ${name}\\b|\\* as ${name} from '([^']+)')`), name);
  }
  for (const [, file] of dts.matchAll(/export \* as \w+ from '\.\/([^']+)\.js'/g)) {
    assert.ok(existsSync(new URL(`${file}.d.ts`, root)), `${file}.d.ts`);
  }
  for (const [sub, e] of Object.entries(pkg.exports)) {
    for (const f of [e.types, e.default]) assert.ok(existsSync(new URL(f, root)), `${sub}: ${f}`);
  }
  assert.match(dts, /__MYAPP__: MyAppApi/);
});
