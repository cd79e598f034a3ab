// The todo example in its two windows, driven over the DevTools Protocol by playwright-core:
// `myapp test` (in examples/todo) starts the app and runs this file.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { connect } from '../../../templates/common/tests/myapp.mjs';

let app;
let main;
let second;

// The texts of a window's list, once it shows `count` todos.
async function todos(page, count) {
  await page.waitForFunction((n) => document.querySelectorAll('#todos li').length === n, count);
  return page.$$eval('#todos li .text', (spans) => spans.map((s) => s.textContent));
}

async function add(page, text) {
  await page.fill('#new-todo', text);
  await page.press('#new-todo', 'Enter');
}

before(async () => {
  app = await connect();
  main = await app.window('main');
  second = await app.window('second');
});
after(async () => {
  await app?.close();
});

test('the app has two windows, each knowing its label', async () => {
  assert.deepEqual(await app.labels(), ['main', 'second']);
  assert.equal(await main.textContent('#window-label'), 'main');
  assert.equal(await second.textContent('#window-label'), 'second');
});

test('a todo added in one window appears in the other', async () => {
  await add(main, 'Buy milk');
  assert.deepEqual(await todos(second, 1), ['Buy milk']);
  assert.deepEqual(await todos(main, 1), ['Buy milk']);
  assert.equal(await main.inputValue('#new-todo'), '', 'the input is cleared once added');

  await second.fill('#new-todo', 'Write the report');
  await second.click('#add', { force: true });
  assert.deepEqual(await todos(main, 2), ['Buy milk', 'Write the report']);
  assert.equal(await main.textContent('#count'), '2 of 2 left');
});

test('ticking a todo in one window ticks it in the other', async () => {
  await second.click('#todos li:first-child input[type=checkbox]', { force: true });
  await main.waitForFunction(() => document.querySelector('#todos li:first-child').classList.contains('done'));
  assert.equal(await main.isChecked('#todos li:first-child input[type=checkbox]'), true);
  assert.equal(await main.textContent('#count'), '1 of 2 left');
});

test('the list lives in C++: a reloaded window gets it back', async () => {
  await second.reload();
  assert.deepEqual(await todos(second, 2), ['Buy milk', 'Write the report']);
  await second.waitForFunction(() => document.querySelector('#todos li:first-child').classList.contains('done'));
  // ... and still hears the changes made elsewhere.
  await add(main, 'Call Ada');
  assert.deepEqual(await todos(second, 3), ['Buy milk', 'Write the report', 'Call Ada']);
});

test('removing and clearing done todos reach both windows', async () => {
  await main.click('#clear-done', { force: true });
  assert.deepEqual(await todos(second, 2), ['Write the report', 'Call Ada']);
  await second.click('#todos li:last-child .remove', { force: true });
  assert.deepEqual(await todos(main, 1), ['Write the report']);
});

test('an empty todo is refused with the command\'s error, in that window only', async () => {
  await add(main, '   ');
  await main.waitForFunction(() => document.querySelector('#error').textContent !== '');
  assert.equal(await main.textContent('#error'), 'todo.empty: Write what needs doing first.');
  assert.equal(await second.textContent('#error'), '');
  assert.deepEqual(await todos(second, 1), ['Write the report']);
});

test('text is shown as text, never as markup', async () => {
  await add(second, '<img src=x onerror="document.title=\'owned\'">');
  assert.deepEqual(await todos(main, 2), ['Write the report', '<img src=x onerror="document.title=\'owned\'">']);
  assert.equal(await main.$$eval('#todos img', (imgs) => imgs.length), 0);
});

test('both windows can be captured as PNG screenshots', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'todo-test-'));
  try {
    for (const [name, page] of [['main', main], ['second', second]]) {
      const file = path.join(dir, `${name}.png`);
      await page.screenshot({ path: file });
      const png = await readFile(file);
      assert.deepEqual([...png.subarray(1, 4)], [...Buffer.from('PNG')], `${file} is a PNG`);
      assert.ok(png.length > 1000, `${file} has content (${png.length} bytes)`);
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
