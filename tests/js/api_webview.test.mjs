// The modules of @myapp/api in a page of a myapp webview: the real client is installed in this
// realm first (over a fake web channel), as the webview injects it before any page script, so
// the modules find it. What reaches the wire for each call, and the client's own classes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { installHere, macrotask, rejection } from './harness.mjs';

const h = await installHere({ label: 'main' });
const core = await import('../../runtime-js/src/api/core.js');
const event = await import('../../runtime-js/src/api/event.js');
const win = await import('../../runtime-js/src/api/window.js');
const path = await import('../../runtime-js/src/api/path.js');
const { PhysicalSize } = await import('../../runtime-js/src/api/dpi.js');

// Messages the client posted since the last call, without the handshake's.
let seen = 0;
function sent() {
  const all = h.messages();
  const out = all.slice(seen);
  seen = all.length;
  return out;
}
sent();

test('the modules share the injected client\'s classes and handshake', () => {
  assert.equal(core.IpcError, globalThis.__MYAPP__.IpcError);
  assert.equal(core.Channel, globalThis.__MYAPP__.Channel);
  assert.equal(core.ready, globalThis.__MYAPP__.ready);
  assert.equal(core.isMyapp(), true);
  assert.equal(globalThis.__MYAPP__.label, 'main');
});

test('invoke goes on the wire, and errors are instances of the exported IpcError', async () => {
  const ok = core.invoke('greet', { name: 'Ada' }, { headers: { 'X-A': 'b' } });
  const bad = core.invoke('nope');
  await macrotask();
  const [a, b] = sent();
  assert.deepEqual(a, { k: 'invoke', id: a.id, cmd: 'greet', args: { name: 'Ada' }, headers: { 'X-A': 'b' } });
  h.deliver([
    { k: 'result', id: a.id, ok: 'Hello, Ada!' },
    { k: 'error', id: b.id, error: { code: 'command.not_found', message: 'no command "nope"' } },
  ]);
  assert.equal(await ok, 'Hello, Ada!');
  const e = await rejection(bad);
  assert.ok(e instanceof core.IpcError);
  assert.equal(e.code, 'command.not_found');
});

test('a Channel from the module is the client\'s: frames reach it', async () => {
  const got = [];
  const ch = new core.Channel((d) => got.push(d));
  core.invoke('stream', { ch });
  await macrotask();
  assert.deepEqual(sent()[0].args, { ch: { $channel: ch.id } });
  h.deliver([{ k: 'chan', ch: ch.id, i: 0, data: 'f' }, { k: 'chan_end', ch: ch.id, i: 1 }]);
  await ch.closed;
  assert.deepEqual(got, ['f']);
});

test('emitTo with a target object, listen with this webview as target', async () => {
  await event.emitTo({ kind: 'WebviewWindow', label: 'side' }, 'ping', 1);
  await event.emitTo({ kind: 'Any' }, 'all', 2);
  await event.emitTo('side', 'direct');
  const payloads = [];
  const unlisten = await event.listen('tick', (e) => payloads.push(e.payload), { target: { kind: 'Window', label: 'main' } });
  assert.deepEqual(sent(), [
    { k: 'emit', event: 'ping', payload: 1, target: 'side' },
    { k: 'emit', event: 'all', payload: 2 },
    { k: 'emit', event: 'direct', target: 'side' },
    { k: 'listen', event: 'tick' },
  ]);
  h.deliver([{ k: 'event', event: 'tick', id: 1, payload: 'p' }]);
  assert.deepEqual(payloads, ['p']);
  unlisten();
  await macrotask();
  assert.deepEqual(sent(), [{ k: 'unlisten', event: 'tick' }]);
  const e = await rejection(event.listen('tick', () => {}, { target: 'side' }));
  assert.equal(e.code, 'window.not_current');
});

test('the window module addresses this page\'s window by the label the host passed', async () => {
  const w = win.getCurrentWindow();
  assert.equal(w.label, 'main');
  const titled = w.setTitle('Doc');
  await macrotask();
  const [title] = sent();
  assert.deepEqual([title.cmd, title.args], ['plugin:window|set_title', { label: 'main', title: 'Doc' }]);
  h.deliver([{ k: 'result', id: title.id, ok: null }]);
  await titled;
  // A physical size is converted with the window's scale factor.
  const resized = w.setSize(new PhysicalSize(800, 600));
  await macrotask();
  const [scale] = sent();
  assert.equal(scale.cmd, 'plugin:window|scale_factor');
  h.deliver([{ k: 'result', id: scale.id, ok: 2 }]);
  await macrotask();
  const [set] = sent();
  assert.deepEqual([set.cmd, set.args], ['plugin:window|set_size', { label: 'main', size: { width: 400, height: 300 } }]);
  h.deliver([{ k: 'result', id: set.id, ok: null }]);
  await resized;
});

test('path asks the path plugin for the app\'s folders', async () => {
  const dir = path.appConfigDir();
  await macrotask();
  const [m] = sent();
  assert.equal(m.cmd, 'plugin:path|app_dirs');
  h.deliver([{ k: 'result', id: m.id, ok: { data: '/d', config: '/c', cache: '/k', state: '/s', log: '/l' } }]);
  assert.equal(await dir, '/c');
});
