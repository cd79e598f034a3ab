// The desktop plugins' wrappers (runtime-js/src/api/{dialog,clipboard,opener,tray,menu}.js): each
// calls its plugin command with the right arguments and shapes the answer as documented.
import { test, beforeEach } from 'node:test';
import assert from 'node:assert/strict';

import * as dialog from '../../runtime-js/src/api/dialog.js';
import * as clipboard from '../../runtime-js/src/api/clipboard.js';
import * as opener from '../../runtime-js/src/api/opener.js';
import { TrayIcon } from '../../runtime-js/src/api/tray.js';
import * as menu from '../../runtime-js/src/api/menu.js';
import * as api from '../../runtime-js/index.js';

let calls;
let answers;
let listeners;

beforeEach(() => {
  calls = [];
  answers = new Map();
  listeners = new Map();
  globalThis.__MYAPP__ = {
    invoke: (cmd, args) => {
      calls.push(args === undefined ? [cmd] : [cmd, args]);
      const a = answers.get(cmd);
      return a instanceof Error ? Promise.reject(a) : Promise.resolve(a ?? null);
    },
    listen: (event, handler) => {
      listeners.set(event, handler);
      return Promise.resolve(() => listeners.delete(event));
    },
  };
});

const fire = (event, payload) => listeners.get(event)({ event, id: 1, payload });

test('the index exports each plugin as a namespace', () => {
  assert.equal(api.dialog.open, dialog.open);
  assert.equal(api.clipboard.writeText, clipboard.writeText);
  assert.equal(api.opener.openUrl, opener.openUrl);
  assert.equal(api.tray.TrayIcon, TrayIcon);
  assert.equal(api.menu.setMenu, menu.setMenu);
});

test('dialog.open sends its options and returns one path, several, or null', async () => {
  const filters = [{ name: 'Images', extensions: ['png'] }];
  answers.set('plugin:dialog|open', ['/tmp/a.png']);
  assert.equal(await dialog.open({ filters, title: 'Pick', ignored: 1 }), '/tmp/a.png');
  assert.deepEqual(calls[0], ['plugin:dialog|open', { title: 'Pick', filters }]);
  answers.set('plugin:dialog|open', ['/tmp/a', '/tmp/b']);
  assert.deepEqual(await dialog.open({ multiple: true }), ['/tmp/a', '/tmp/b']);
  assert.deepEqual(calls[1], ['plugin:dialog|open', { multiple: true }]);
  answers.set('plugin:dialog|open', null);
  assert.equal(await dialog.open({ directory: true }), null);
  assert.deepEqual(calls[2], ['plugin:dialog|open', { directory: true }]);
});

test('dialog.save, message, ask and confirm', async () => {
  answers.set('plugin:dialog|save', '/tmp/out.txt');
  assert.equal(await dialog.save({ defaultPath: '/tmp/x.txt' }), '/tmp/out.txt');
  assert.deepEqual(calls.at(-1), ['plugin:dialog|save', { defaultPath: '/tmp/x.txt' }]);
  assert.equal(await dialog.message('Saved', 'Notes'), undefined);
  assert.deepEqual(calls.at(-1), ['plugin:dialog|message', { message: 'Saved', title: 'Notes' }]);
  answers.set('plugin:dialog|ask', true);
  assert.equal(await dialog.ask('Delete?', { kind: 'warning', okLabel: 'Delete' }), true);
  assert.deepEqual(calls.at(-1),
    ['plugin:dialog|ask', { message: 'Delete?', kind: 'warning', okLabel: 'Delete' }]);
  answers.set('plugin:dialog|confirm', false);
  assert.equal(await dialog.confirm('Sure?'), false);
  assert.deepEqual(calls.at(-1), ['plugin:dialog|confirm', { message: 'Sure?' }]);
});

test('clipboard and opener', async () => {
  answers.set('plugin:clipboard|read_text', 'hello');
  assert.equal(await clipboard.readText(), 'hello');
  await clipboard.writeText(42);
  await clipboard.clear();
  await opener.openUrl(new URL('https://example.com/a b'));
  await opener.openPath('/tmp/x');
  assert.deepEqual(calls, [
    ['plugin:clipboard|read_text'],
    ['plugin:clipboard|write_text', { text: '42' }],
    ['plugin:clipboard|clear'],
    ['plugin:opener|open_url', { url: 'https://example.com/a%20b' }],
    ['plugin:opener|open_path', { path: '/tmp/x' }],
  ]);
});

test('errors of the command reach the caller', async () => {
  const denied = Object.assign(new Error('outside the scope'), { code: 'opener.denied' });
  answers.set('plugin:opener|open_url', denied);
  await assert.rejects(opener.openUrl('https://evil.net/'), (e) => e === denied);
});

test('TrayIcon: create, update, remove, and events filtered by its id', async () => {
  answers.set('plugin:tray|create', 'tray-1');
  const icon = await TrayIcon.new({ tooltip: 'Hi', menu: [{ id: 'quit', text: 'Quit' }] });
  assert.equal(icon.id, 'tray-1');
  await icon.setTooltip('Busy');
  await icon.setMenu(null);
  await icon.remove();
  assert.deepEqual(calls, [
    ['plugin:tray|create', { tooltip: 'Hi', menu: [{ id: 'quit', text: 'Quit' }] }],
    ['plugin:tray|set_tooltip', { id: 'tray-1', tooltip: 'Busy' }],
    ['plugin:tray|set_menu', { id: 'tray-1', menu: null }],
    ['plugin:tray|remove', { id: 'tray-1' }],
  ]);
  const clicks = [];
  await icon.onMenu((c) => clicks.push(c));
  fire('tray:menu', { id: 'quit', source: 'tray-2' });
  fire('tray:menu', { id: 'quit', source: 'tray-1' });
  assert.deepEqual(clicks, [{ id: 'quit', source: 'tray-1' }]);
});

test('menu: set, remove, and clicks', async () => {
  const items = [{ text: 'File', items: [{ id: 'open', text: 'Open' }] }];
  await menu.setMenu(items);
  await menu.removeMenu();
  assert.deepEqual(calls, [['plugin:menu|set', { items }], ['plugin:menu|remove']]);
  const clicks = [];
  const unlisten = await menu.onMenuClick((c) => clicks.push(c));
  fire('menu:click', { id: 'open', source: 'main' });
  assert.deepEqual(clicks, [{ id: 'open', source: 'main' }]);
  unlisten();
  assert.equal(listeners.has('menu:click'), false);
});
