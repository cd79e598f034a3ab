// The plugin example driven over the DevTools Protocol by playwright-core: `myapp test` (in
// examples/plugin) starts the app and runs this file. The kv plugin's page script, commands,
// event and permissions all arrive with one `app.plugin(kv::plugin(...))` in main.cpp.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';

import { connect } from '../../../templates/common/tests/myapp.mjs';

let app;
let page;

async function entries(count) {
  await page.waitForFunction((n) => document.querySelectorAll('#entries li').length === n, count);
  return page.$$eval('#entries li', (lis) => lis.map((li) => li.textContent));
}

async function set(key, value) {
  await page.fill('#key', key);
  await page.fill('#value', value);
  await page.click('#set-form button', { force: true });
}

before(async () => {
  app = await connect();
  page = await app.window('main');
});
after(async () => {
  await app?.close();
});

test('the plugin\'s page script is there, and its first entry is listed', async () => {
  assert.equal(await page.evaluate(() => typeof window.kv?.set), 'function');
  assert.deepEqual(await entries(1), ['greeting = hello from the page']);
});

test('an entry set in the form comes back through the plugin\'s kv:changed event', async () => {
  await set('colour', 'teal');
  assert.deepEqual(await entries(2), ['colour = teal', 'greeting = hello from the page']);
  await set('colour', 'orange');
  await page.waitForFunction(() => document.querySelector('#entries li').textContent === 'colour = orange');
  assert.equal(await page.textContent('#error'), '');
});

test('the plugin\'s own errors reach the page with their code', async () => {
  await set('', 'no key');
  await page.waitForFunction(() => document.getElementById('error').textContent !== '');
  assert.equal(await page.textContent('#error'), 'kv.bad_key: a key is 1 to 256 bytes, got 0');
});

test('the capability grants kv:allow-set but not kv:allow-remove: remove is refused', async () => {
  const refusal = await page.evaluate(() => window.kv.remove('colour').then(() => null, (e) => ({ code: e.code, message: e.message })));
  assert.equal(refusal?.code, 'acl.denied');
  assert.match(refusal.message, /plugin:kv\|remove/);
  assert.match(refusal.message, /kv:allow-remove/);
  assert.equal(await page.evaluate(() => window.kv.get('colour')), 'orange', 'nothing was removed');
});

test('the store\'s limit (max_entries = 100 in main.cpp) is enforced by the plugin', async () => {
  await page.evaluate(async () => {
    const keys = await window.kv.keys();
    for (let i = keys.length; i < 100; i += 1) await window.kv.set(`k${String(i).padStart(3, '0')}`, String(i));
  });
  await entries(100);
  await set('one-too-many', 'x');
  await page.waitForFunction(() => document.getElementById('error').textContent.startsWith('kv.full'));
  assert.equal(await page.textContent('#error'), 'kv.full: the store holds 100 entries at most');
  await set('colour', 'still settable');  // replacing an entry does not grow the store
  await page.waitForFunction(() => document.getElementById('error').textContent === '');
});
