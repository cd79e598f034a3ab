// Tests for runtime-js/src/window.js, the window plugin's page script, against a stub client:
// what goes on the wire for each call, and the close handshake's one answer per request.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import vm from 'node:vm';

const SOURCE = readFileSync(new URL('../../runtime-js/src/window.js', import.meta.url), 'utf8');

// Runs window.js as the app injects it: in a function receiving the window's label.
function load(label = 'main', { fail = {} } = {}) {
  const calls = [];
  const listeners = new Map();
  class IpcError extends Error {
    constructor(code, message) { super(message); this.code = code; }
  }
  const api = {
    IpcError,
    invoke(cmd, args) {
      calls.push([cmd, args === undefined ? undefined : JSON.parse(JSON.stringify(args))]);
      return fail[cmd] ? Promise.reject(fail[cmd]) : Promise.resolve(null);
    },
    listen(event, fn) {
      if (!listeners.has(event)) listeners.set(event, new Set());
      listeners.get(event).add(fn);
      return Promise.resolve(() => listeners.get(event).delete(fn));
    },
    once(event, fn) { return api.listen(event, fn); },
  };
  const ctx = vm.createContext({ __MYAPP__: api, console, setTimeout, Promise });
  ctx.globalThis = ctx;
  vm.runInContext(`(function(__myapp_label){${SOURCE}\n})(${JSON.stringify(label)})`, ctx);
  const fire = (event, payload) => {
    for (const fn of [...(listeners.get(event) || [])]) fn({ event, id: 1, payload });
  };
  return { W: ctx.__MYAPP_WINDOW__, calls, listeners, fire, IpcError };
}

const settle = () => new Promise((r) => setTimeout(r, 10));

test('the current window knows its label and addresses itself by it', async () => {
  const { W, calls } = load('editor-2');
  const w = W.getCurrentWindow();
  assert.equal(w.label, 'editor-2');
  await w.setTitle('Doc');
  await w.setSize({ width: 3, height: 4, extra: 1 });
  await w.setAlwaysOnTop(true);
  await w.isMaximized();
  assert.deepEqual(calls, [
    ['plugin:window|set_title', { label: 'editor-2', title: 'Doc' }],
    ['plugin:window|set_size', { label: 'editor-2', size: { width: 3, height: 4 } }],
    ['plugin:window|set_always_on_top', { label: 'editor-2', alwaysOnTop: true }],
    ['plugin:window|is_maximized', { label: 'editor-2' }],
  ]);
  assert.ok(Object.isFrozen(W));
});

test('new WebviewWindow creates, and reports created or error locally', async () => {
  const { W, calls } = load('main', { fail: {} });
  const seen = [];
  const w = new W.WebviewWindow('child', { url: 'a.html', width: 10 });
  w.once('myapp://created', (e) => seen.push(e.payload));
  await settle();
  assert.deepEqual(calls, [['plugin:window|create', { label: 'child', options: { url: 'a.html', width: 10 } }]]);
  assert.equal(JSON.stringify(seen), '[{"label":"child"}]');
  const wrapped = new W.WebviewWindow('main', { skip: true });
  assert.equal(calls.length, 1, 'skip wraps without creating');
  assert.equal(wrapped.label, 'main');

  const denied = new Error('denied');
  const f = load('main', { fail: { 'plugin:window|create': denied } });
  const errors = [];
  new f.W.WebviewWindow('x').once('myapp://error', (e) => errors.push(e.payload));
  await settle();
  assert.deepEqual(errors, [denied]);
  assert.throws(() => new f.W.WebviewWindow(''), /non-empty string/);
});

test('close requests: every handler runs, async ones awaited, one answer per request', async () => {
  const { W, calls, fire, listeners } = load('main');
  const w = W.getCurrentWindow();
  let allow = false;
  const order = [];
  const un1 = await w.onCloseRequested(async (e) => {
    await settle();
    order.push('slow');
    if (!allow) e.preventDefault();
  });
  await w.onCloseRequested(() => { order.push('fast'); });
  // One listener and one close_listen however many handlers.
  assert.equal(listeners.get('myapp://close-requested').size, 1);
  assert.deepEqual(calls.filter((c) => c[0] === 'plugin:window|close_listen').length, 1);

  calls.length = 0;
  fire('myapp://close-requested', { id: 7 });
  await settle();
  await settle();
  assert.deepEqual(order, ['fast', 'slow']);
  assert.deepEqual(calls, [['plugin:window|close_answer', { id: 7, prevent: true }]]);

  calls.length = 0;
  un1();
  fire('myapp://close-requested', { id: 8 });
  await settle();
  assert.deepEqual(calls, [['plugin:window|close_answer', { id: 8, prevent: false }]]);
});

test('a throwing handler does not block the answer; other windows are not listenable', async () => {
  const { W, calls, fire } = load('main');
  const errors = [];
  const saved = console.error;
  console.error = (...a) => errors.push(a);
  try {
    await W.getCurrentWindow().onCloseRequested(() => { throw new Error('bug'); });
    calls.length = 0;
    fire('myapp://close-requested', { id: 1 });
    await settle();
  } finally {
    console.error = saved;
  }
  assert.deepEqual(calls, [['plugin:window|close_answer', { id: 1, prevent: false }]]);
  assert.equal(errors.length, 1);
  const other = new W.WebviewWindow('other', { skip: true });
  await assert.rejects(other.onCloseRequested(() => {}), (e) => e.code === 'window.not_current');
  await assert.rejects(other.onResized(() => {}), (e) => e.code === 'window.not_current');
});
