// @myapp/api/window (runtime-js/src/api/window.js) under mocks: what each call asks the window
// plugin, the windows it creates reporting back, and the close handshake's one answer per
// request.
import { test, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';

import { mockIPC, mockWindows, clearMocks } from '../../runtime-js/src/api/mocks.js';
import * as W from '../../runtime-js/src/api/window.js';
import { emit } from '../../runtime-js/src/api/event.js';

let calls;
let fail;
beforeEach(() => {
  calls = [];
  fail = {};
  mockWindows('editor-2', 'main');
  mockIPC((cmd, args) => {
    if (cmd.startsWith('plugin:event|')) return undefined;
    calls.push([cmd, JSON.parse(JSON.stringify(args))]);
    if (fail[cmd]) throw fail[cmd];
    return null;
  }, { shouldMockEvents: true });
});
afterEach(clearMocks);

const settle = () => new Promise((r) => setTimeout(r, 10));

test('the current window knows its label and addresses itself by it', async () => {
  const w = W.getCurrentWindow();
  assert.equal(w.label, 'editor-2');
  assert.ok(w instanceof W.WebviewWindow && w instanceof W.Window);
  await w.setTitle('Doc');
  await w.setSize({ width: 3, height: 4, extra: 1 });
  await w.setAlwaysOnTop(true);
  await w.isMaximized();
  await w.setMinSize(null);
  await w.setPosition(new W.LogicalPosition(5, 6));
  assert.deepEqual(calls, [
    ['plugin:window|set_title', { label: 'editor-2', title: 'Doc' }],
    ['plugin:window|set_size', { label: 'editor-2', size: { width: 3, height: 4 } }],
    ['plugin:window|set_always_on_top', { label: 'editor-2', alwaysOnTop: true }],
    ['plugin:window|is_maximized', { label: 'editor-2' }],
    ['plugin:window|set_min_size', { label: 'editor-2', size: null }],
    ['plugin:window|set_position', { label: 'editor-2', position: { x: 5, y: 6 } }],
  ]);
});

test('getAllWindows lists the mocked windows', async () => {
  calls = null; // the handler must not be asked: it answers undefined for this command
  mockIPC((cmd) => (cmd === 'plugin:window|get_all_windows' ? undefined : null));
  assert.deepEqual((await W.getAllWindows()).map((w) => w.label), ['editor-2', 'main']);
  assert.equal((await W.Window.getByLabel('main')).label, 'main');
  assert.equal(await W.Window.getByLabel('nope'), null);
});

test('without mockWindows there is no current window, and the error says what to do', () => {
  clearMocks();
  mockIPC(() => null);
  assert.throws(() => W.getCurrentWindow(), (e) => e.code === 'window.not_found' && /call mockWindows\(label\) first/.test(e.message));
});

test('new WebviewWindow creates, and reports created or error locally', async () => {
  const seen = [];
  const w = new W.WebviewWindow('child', { url: 'a.html', width: 10 });
  w.once('myapp://created', (e) => seen.push(e.payload));
  await settle();
  assert.deepEqual(calls, [['plugin:window|create', { label: 'child', options: { url: 'a.html', width: 10 } }]]);
  assert.deepEqual(seen, [{ label: 'child' }]);
  const wrapped = new W.WebviewWindow('main', { skip: true });
  assert.equal(calls.length, 1, 'skip wraps without creating');
  assert.equal(wrapped.label, 'main');

  const denied = new Error('denied');
  fail['plugin:window|create'] = denied;
  const errors = [];
  new W.WebviewWindow('x').once('myapp://error', (e) => errors.push(e.payload));
  await settle();
  assert.deepEqual(errors, [denied]);
  assert.throws(() => new W.WebviewWindow(''), /non-empty string/);
});

test('close requests: every handler runs, async ones awaited, one answer per request', async () => {
  const w = W.getCurrentWindow();
  let allow = false;
  const order = [];
  const un1 = await w.onCloseRequested(async (e) => {
    await settle();
    order.push('slow');
    if (!allow) e.preventDefault();
  });
  const un2 = await w.onCloseRequested(() => { order.push('fast'); });
  // One close_listen however many handlers.
  assert.deepEqual(calls, [['plugin:window|close_listen', {}]]);

  calls.length = 0;
  await emit('myapp://close-requested', { id: 7 });
  await settle();
  await settle();
  assert.deepEqual(order, ['fast', 'slow']);
  assert.deepEqual(calls, [['plugin:window|close_answer', { id: 7, prevent: true }]]);

  calls.length = 0;
  un1();
  await emit('myapp://close-requested', { id: 8 });
  await settle();
  assert.deepEqual(calls, [['plugin:window|close_answer', { id: 8, prevent: false }]]);
  allow = true;
  un2();
});

test('a throwing handler does not block the answer; other windows are not listenable', async () => {
  const errors = [];
  const saved = console.error;
  console.error = (...a) => errors.push(a);
  let un;
  try {
    un = await W.getCurrentWindow().onCloseRequested(() => { throw new Error('bug'); });
    calls.length = 0;
    await emit('myapp://close-requested', { id: 1 });
    await settle();
  } finally {
    console.error = saved;
    un();
  }
  assert.deepEqual(calls, [['plugin:window|close_answer', { id: 1, prevent: false }]]);
  assert.equal(errors.length, 1);
  const other = new W.WebviewWindow('other', { skip: true });
  await assert.rejects(other.onCloseRequested(() => {}), (e) => e.code === 'window.not_current');
  await assert.rejects(other.onResized(() => {}), (e) => e.code === 'window.not_current');
});
