// Browser-level tests of {{productName}}: `myapp test` builds the app, starts it headless and
// runs this file with Node's test runner; playwright-core drives the app's real page.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { connect } from './myapp.mjs';

let app;
let page;
before(async () => {
  app = await connect();
  page = await app.window('main');
});
after(async () => {
  await app?.close();
});

test('the page greets through the C++ command', async () => {
  await page.fill('#greet-input', 'Ada');
  await page.click('button[type=submit]', { force: true });
  await page.waitForFunction(() => document.querySelector('#greet-msg').textContent !== '');
  assert.match(await page.textContent('#greet-msg'), /^Hello, Ada!/);
  // C++ emits `greeted` with each greeting, and the page listens to it.
  await page.waitForFunction(() => document.querySelector('#greet-count').textContent !== '');
  assert.equal(await page.textContent('#greet-count'), 'Greetings so far: 1');

  const dir = await mkdtemp(path.join(tmpdir(), '{{name}}-test-'));
  try {
    const shot = path.join(dir, 'greeted.png');
    await page.screenshot({ path: shot });
    const png = await readFile(shot);
    assert.deepEqual([...png.subarray(1, 4)], [...Buffer.from('PNG')]);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('an empty name gets the command\'s own error', async () => {
  await page.fill('#greet-input', '');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => document.querySelector('#greet-msg').textContent.startsWith('greet.'));
  assert.equal(await page.textContent('#greet-msg'), 'greet.empty_name: Tell me your name first.');
});
