// The modules of @myapp/api (runtime-js/src/api/) outside a myapp webview, as Node sees them:
// what each exports, the errors of a call with no backend, the calls forwarded to whatever
// `__MYAPP__` is at call time, and the parts that need no backend (dpi, path arithmetic, event
// targets). This file runs in its own process, with no client installed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rejection } from './harness.mjs';

import * as root from '../../runtime-js/index.js';
import * as core from '../../runtime-js/src/api/core.js';
import * as event from '../../runtime-js/src/api/event.js';
import * as win from '../../runtime-js/src/api/window.js';
import * as webviewWindow from '../../runtime-js/src/api/webviewWindow.js';
import * as dpi from '../../runtime-js/src/api/dpi.js';
import * as path from '../../runtime-js/src/api/path.js';

const MISSING = 'window.__MYAPP__ is missing: this page is not running inside a myapp webview';

async function withGlobal(value, fn) {
  globalThis.__MYAPP__ = value;
  try {
    return await fn();
  } finally {
    delete globalThis.__MYAPP__;
  }
}

test('the root module: the names of core, event and window, and every module as a namespace', () => {
  assert.deepEqual(Object.keys(root).sort(), [
    'Channel', 'IpcError', 'MyappEvent', 'WebviewWindow', 'Window', 'clipboard', 'core', 'dialog', 'dpi',
    'emit', 'emitTo', 'event', 'getAllWindows', 'getCurrentWebviewWindow', 'getCurrentWindow', 'invoke',
    'isMyapp', 'listen', 'menu', 'mocks', 'once', 'opener', 'path', 'ready', 'tray', 'webviewWindow', 'window',
  ]);
  assert.equal(root.core, core);
  assert.equal(root.invoke, core.invoke);
  assert.equal(root.window, win);
  assert.equal(root.getCurrentWebviewWindow, webviewWindow.getCurrentWebviewWindow);
});

test('each module exports the names of its @tauri-apps/api counterpart that myapp has', () => {
  assert.deepEqual(Object.keys(core).sort(), ['Channel', 'IpcError', 'invoke', 'isMyapp', 'isTauri', 'ready']);
  assert.deepEqual(Object.keys(event).sort(), ['MyappEvent', 'TauriEvent', 'emit', 'emitTo', 'listen', 'once']);
  assert.deepEqual(Object.keys(webviewWindow).sort(), ['WebviewWindow', 'getAllWebviewWindows', 'getCurrentWebviewWindow']);
  for (const name of ['LogicalSize', 'PhysicalSize', 'LogicalPosition', 'PhysicalPosition']) assert.equal(win[name], dpi[name]);
  assert.equal(event.TauriEvent, event.MyappEvent);
  assert.ok(Object.isFrozen(event.MyappEvent));
  assert.equal(event.MyappEvent.WINDOW_CLOSE_REQUESTED, 'myapp://close-requested');
  assert.equal(core.isTauri, core.isMyapp);
});

test('outside a webview, calls reject with bridge.unavailable and never throw', async () => {
  assert.equal(core.isMyapp(), false);
  for (const p of [core.invoke('x'), event.listen('x', () => {}), event.once('x', () => {}), event.emit('x'),
    event.emitTo('main', 'x'), win.getAllWindows(), path.appDataDir()]) {
    const e = await rejection(p);
    assert.ok(e instanceof core.IpcError);
    assert.equal(e.code, 'bridge.unavailable');
    assert.equal(e.message, MISSING);
  }
  const r = await rejection(core.ready);
  assert.equal(r.code, 'bridge.unavailable');
  assert.throws(() => win.getCurrentWindow(), (e) => e instanceof core.IpcError && e.code === 'bridge.unavailable');
});

test('IpcError carries a code and data', () => {
  const e = new core.IpcError('app.code', 'text', { x: 1 });
  assert.ok(e instanceof Error);
  assert.deepEqual([e.name, e.code, e.message, e.data], ['IpcError', 'app.code', 'text', { x: 1 }]);
});

test('a Channel made outside a webview has an id, serializes as {$channel: id}, and checks onmessage', () => {
  const a = new core.Channel();
  const b = new core.Channel(() => {});
  assert.ok(b.id > a.id && a.id > 0);
  assert.deepEqual(JSON.parse(JSON.stringify({ ch: b })), { ch: { $channel: b.id } });
  assert.equal(a.onmessage, null);
  assert.ok(a.closed instanceof Promise);
  assert.throws(() => new core.Channel(42), (e) => e.code === 'args.invalid' && /onmessage must be a function/.test(e.message));
});

test('calls go to whatever __MYAPP__ is at call time', async () => {
  const calls = [];
  const stub = { label: 'main' };
  for (const name of ['invoke', 'listen', 'once', 'emit', 'emitTo']) {
    stub[name] = (...a) => { calls.push([name, ...a]); return Promise.resolve(name); };
  }
  const fn = () => {};
  await withGlobal(stub, async () => {
    assert.equal(await core.invoke('greet', { name: 'Ada' }, { headers: { a: 'b' } }), 'invoke');
    await event.listen('a', fn);
    await event.once('b', fn, { target: 'main' });
    await event.emit('c', 1);
    await event.emitTo('side', 'd', 2);
    await event.emitTo({ kind: 'WebviewWindow', label: 'side' }, 'e');
    await event.emitTo({ kind: 'Any' }, 'f', 3);
    assert.equal(win.getCurrentWindow().label, 'main');
  });
  assert.deepEqual(calls, [
    ['invoke', 'greet', { name: 'Ada' }, { headers: { a: 'b' } }],
    ['listen', 'a', fn],
    ['once', 'b', fn],
    ['emit', 'c', 1],
    ['emitTo', 'side', 'd', 2],
    ['emitTo', 'side', 'e', undefined],
    ['emit', 'f', 3],
  ]);
  assert.deepEqual([core.invoke.name, event.emit.name], ['invoke', 'emit']);
});

test('event targets: a label or a target object naming one webview; others are refused', async () => {
  const stub = { label: 'main', listen: () => Promise.resolve(() => {}), emitTo: () => Promise.resolve() };
  await withGlobal(stub, async () => {
    for (const target of [{ kind: 'App' }, { kind: 'Window' }, { kind: 'Nope', label: 'x' }, '', 7, null]) {
      const e = await rejection(event.emitTo(target, 'x'));
      assert.equal(e.code, 'args.invalid', JSON.stringify(target));
      assert.match(e.message, /^emitTo\(\): the target must be a webview label or/);
    }
    const app = await rejection(event.emitTo({ kind: 'App' }, 'x'));
    assert.match(app.message, /no C\+\+-only target/);
    await event.listen('x', () => {}, { target: { kind: 'Webview', label: 'main' } });
    await event.listen('x', () => {}, { target: { kind: 'Any' } });
    const other = await rejection(event.listen('x', () => {}, { target: { kind: 'WebviewWindow', label: 'side' } }));
    assert.equal(other.code, 'window.not_current');
    assert.match(other.message, /its own webview \(`main`\) and broadcasts, not those sent to `side`/);
    const bad = await rejection(event.once('x', () => {}, 'main'));
    assert.equal(bad.code, 'args.invalid');
  });
});

test('dpi: sizes and positions convert between logical and physical pixels', () => {
  const l = new dpi.LogicalSize(400, 300);
  assert.deepEqual([l.type, l.width, l.height], ['Logical', 400, 300]);
  const p = l.toPhysical(2);
  assert.ok(p instanceof dpi.PhysicalSize);
  assert.deepEqual([p.width, p.height], [800, 600]);
  assert.deepEqual({ ...p.toLogical(2) }, { ...l });
  const pos = new dpi.PhysicalPosition(30, 60).toLogical(1.5);
  assert.deepEqual([pos.type, pos.x, pos.y], ['Logical', 20, 40]);
});

test('path: POSIX arithmetic, answered as promises as Tauri does', async () => {
  assert.equal(path.sep(), '/');
  assert.equal(path.delimiter(), ':');
  assert.equal(await path.join('/a', 'b/', '../c', '', './d'), '/a/c/d');
  assert.equal(await path.join('a', '..', '..'), '..');
  assert.equal(await path.join(), '.');
  assert.equal(await path.normalize('//a//b/./c/..//'), '/a/b/');
  assert.equal(await path.normalize('/../x'), '/x');
  assert.equal(await path.dirname('/a/b/c.txt'), '/a/b');
  assert.equal(await path.dirname('/a'), '/');
  assert.equal(await path.dirname('a'), '.');
  assert.equal(await path.dirname('/'), '/');
  assert.equal(await path.basename('/a/b/c.tar.gz'), 'c.tar.gz');
  assert.equal(await path.basename('/a/b/c.txt/', '.txt'), 'c');
  assert.equal(await path.extname('/a/b/c.tar.gz'), 'gz');
  assert.equal(await path.isAbsolute('/x'), true);
  assert.equal(await path.isAbsolute('x'), false);
  assert.equal((await rejection(path.extname('/a/.profile'))).code, 'path.invalid');
  assert.equal((await rejection(path.extname('/a/b'))).code, 'path.invalid');
  assert.equal((await rejection(path.join('a', 3))).code, 'args.invalid');
});
