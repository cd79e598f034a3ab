// The file viewer driven like a user drives it, over the DevTools Protocol by playwright-core:
// `myapp test` (in examples/file-viewer) starts the app and runs this file. The app's $HOME is
// a scratch folder (FILE_VIEWER_TEST_HOME, set by the ctest definition), so the permission's
// scope — $HOME, minus ~/.ssh and ~/.gnupg — covers what this test writes and nothing else.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, symlink, truncate, writeFile } from 'node:fs/promises';
import path from 'node:path';

import { connect } from '../../../templates/common/tests/myapp.mjs';

const home = process.env.FILE_VIEWER_TEST_HOME;
let app;
let page;
let dir;          // the folder the test fills, inside $HOME
let big;          // 48 MiB of random bytes
let bigCrc;

// CRC-32 (IEEE), written here independently of the page's.
function crc32(buf) {
  let c = 0xffffffff;
  for (const b of buf) {
    c ^= b;
    for (let k = 0; k < 8; k += 1) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  }
  return ((c ^ 0xffffffff) >>> 0).toString(16).padStart(8, '0');
}

async function openFolder(folder) {
  await page.fill('#path', folder);
  await page.click('#go', { force: true });
}

async function names() {
  return page.$$eval('#entries li', (lis) => lis.map((li) => `${li.className.replace(' open', '')}:${li.dataset.name}`));
}

async function shownError() {
  await page.waitForFunction(() => document.getElementById('error').textContent !== '');
  return page.textContent('#error');
}

async function click(name) {
  await page.click(`#entries li[data-name="${name}"]`, { force: true });
}

async function finished() {
  await page.waitForFunction(() => ['done', 'incomplete', 'failed', 'cancelled']
    .includes(document.getElementById('viewer').dataset.state), null, { timeout: 60_000 });
  return page.$eval('#viewer', (v) => v.dataset.state);
}

before(async () => {
  assert.ok(home, 'FILE_VIEWER_TEST_HOME is not set: run this test through ctest (examples.file_viewer.browser)');
  dir = await mkdtemp(path.join(home, 'viewer-test-'));
  await mkdir(path.join(dir, 'docs'));
  await writeFile(path.join(dir, 'docs', 'hello.txt'), 'Hello from a file, héllo wörld.\n');
  big = randomBytes(48 * 1024 * 1024);
  await writeFile(path.join(dir, 'big.bin'), big);
  bigCrc = crc32(big);
  // 2 GiB without using the disk: a sparse file, read as zeros.
  await writeFile(path.join(dir, 'huge.bin'), '');
  await truncate(path.join(dir, 'huge.bin'), 2 * 1024 * 1024 * 1024);
  await symlink('/etc', path.join(dir, 'link-out'));
  await mkdir(path.join(home, '.ssh'), { recursive: true });
  await writeFile(path.join(home, '.ssh', 'id_ed25519'), 'not a real key\n');

  app = await connect();
  page = await app.window('main');
});

after(async () => {
  await app?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

test('the page starts in the home folder, whose parent is outside the scope', async () => {
  await page.waitForFunction((h) => document.getElementById('path').value === h, home);
  await page.click('#go', { force: true });  // again: the test's folder came after the page
  await page.waitForFunction(() => document.querySelector('#entries li[data-name^="viewer-test-"]'));
  assert.ok((await names()).includes(`folder:${path.basename(dir)}`));
  assert.equal(await page.isDisabled('#up'), true);
});

test('a folder lists its folders first, then its files with their sizes', async () => {
  await openFolder(dir);
  await page.waitForFunction(() => document.querySelectorAll('#entries li').length === 4);
  assert.deepEqual(await names(), ['folder:docs', 'folder:link-out', 'file:big.bin', 'file:huge.bin']);
  assert.equal(await page.textContent('#entries li[data-name="big.bin"] .size'), '48.0 MiB');
  assert.equal(await page.isDisabled('#up'), false);
});

test('a small text file is shown as text, with its size and checksum', async () => {
  await click('docs');
  await page.waitForFunction(() => document.querySelector('#entries li[data-name="hello.txt"]'));
  await click('hello.txt');
  assert.equal(await finished(), 'done');
  assert.equal(await page.textContent('#preview'), 'Hello from a file, héllo wörld.\n');
  const text = Buffer.from('Hello from a file, héllo wörld.\n');
  assert.equal(await page.textContent('#size'), `${text.length} bytes`);
  assert.equal(await page.textContent('#crc'), crc32(text));
  await page.click('#up', { force: true });
  await page.waitForFunction((d) => document.getElementById('path').value === d, dir);
});

test('a 48 MiB file streams through the channel in 256 KiB frames, with progress', async () => {
  await click('big.bin');
  assert.equal(await finished(), 'done');
  assert.equal(await page.textContent('#size'), `${big.length} bytes`);
  assert.equal(await page.textContent('#crc'), bigCrc, 'every byte arrived, in order');
  assert.equal(await page.textContent('#frames'), '192 of bytes, 192 of progress');
  assert.equal(await page.textContent('#status'), 'done: 48.0 MiB in 192 chunks');
  assert.equal(await page.$eval('#progress', (p) => p.value), 1);
  assert.match(await page.textContent('#preview'), /^00000000 {2}([0-9a-f]{2} ){15}[0-9a-f]{2}\n/, 'binary: a hex dump');
});

test('a transfer can be cancelled part way, and the next one works', async () => {
  await click('huge.bin');
  await page.waitForFunction(() => Number(document.getElementById('progress').value) > 0);
  await page.click('#cancel', { force: true });
  assert.equal(await finished(), 'cancelled');
  assert.match(await page.textContent('#status'), /^cancelled after \d/);
  assert.equal(await page.textContent('#error'), '');

  await click('big.bin');
  assert.equal(await finished(), 'done');
  assert.equal(await page.textContent('#crc'), bigCrc);
});

test('the scope refuses what lies outside it, in C++', async () => {
  await click('link-out');  // a symlink inside $HOME that points out of it
  assert.equal(await shownError(), 'viewer.denied: `/etc` is outside the folders this window may read (the scope of the `read-files` permission, permissions/files.json)');

  await openFolder(`${dir}${"/..".repeat(20)}/etc`);
  assert.match(await shownError(), /^viewer\.denied: `\/etc` is outside/);

  await openFolder(path.join(home, '.ssh'));  // inside $HOME, but denied: deny wins
  assert.match(await shownError(), /^viewer\.denied: `.*\/\.ssh` is outside/);

  await openFolder(path.join(dir, 'nothing-here'));
  assert.match(await shownError(), /^viewer\.not_found: nothing exists at `.*nothing-here`/);

  await openFolder('relative/path');
  assert.match(await shownError(), /^viewer\.invalid_path: path `relative\/path` is not absolute/);

  // Only regular files are read: a FIFO (which would block an open() for ever) is refused.
  execFileSync('mkfifo', [path.join(dir, 'docs', 'pipe')]);
  const fifo = await page.evaluate(async (p) => {
    try {
      await window.__MYAPP__.invoke('read_file', { path: p, channel: new window.__MYAPP__.Channel(() => {}) });
      return 'read';
    } catch (e) {
      return `${e.code}: ${e.message}`;
    }
  }, path.join(dir, 'docs', 'pipe'));
  assert.match(fifo, /^viewer\.not_a_file: `.*\/docs\/pipe` is not a regular file$/);

  // A page script calling the command directly is held to the same scope.
  const direct = await page.evaluate(async () => {
    try {
      await window.__MYAPP__.invoke('read_file', {
        path: '/etc/passwd', channel: new window.__MYAPP__.Channel(() => {}),
      });
      return 'read';
    } catch (e) {
      return e.code;
    }
  });
  assert.equal(direct, 'viewer.denied');
  // The listing on screen is still the last one allowed.
  assert.deepEqual(await names(), ['folder:docs', 'folder:link-out', 'file:big.bin', 'file:huge.bin']);
});

test('the app\'s own policy (default-src \'self\') still lets large arguments take the bulk lane', async () => {
  const csp = await page.$eval('meta[http-equiv="Content-Security-Policy"]', (m) => m.content);
  assert.match(csp, /^default-src 'self'; connect-src 'self' ws:\/\/127\.0\.0\.1:\d+$/);
  // 100 KB of bytes go over the lane: refused by the command (a path is text), but carried
  // there without a policy violation.
  const r = await page.evaluate(async () => {
    const violations = [];
    document.addEventListener('securitypolicyviolation', (e) => violations.push(e.violatedDirective));
    const code = await window.__MYAPP__.invoke('list_folder', { path: new Uint8Array(100_000) })
      .then(() => 'listed', (e) => e.code);
    await new Promise((resolve) => setTimeout(resolve, 200));
    return { code, violations };
  });
  assert.deepEqual(r, { code: 'args.invalid', violations: [] });
});
