// The Tauri-shaped sample (../sample) in the real app: every feature it tries works with only its
// imports mapped, unbundled (the import map, under the templates' CSP) or bundled (Vite with the
// vite-ts template's alias; run.sh bundled). Run by `myapp test` (tests/porting/CMakeLists.txt).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from '../../../templates/common/tests/myapp.mjs';

// What myapp does not do as Tauri does (docs/porting-from-tauri.md, "What differs"): none of the
// rows this sample tries.
const LATER = {};
const ROWS = ['invoke', 'errors', 'errors as values', 'channels', 'events', 'once', 'unlisten', 'emit',
  'emitTo', 'window', 'path', 'raw bodies with headers'];

const app = await connect();
after(() => app.close());
const page = await app.window('main');
await page.waitForFunction(() => document.getElementById('results').dataset.done === 'true', null,
  { timeout: 60_000 });
const results = JSON.parse(await page.textContent('#results'));

test('the sample ran every row, its imports resolved under the CSP', () => {
  assert.deepEqual(Object.keys(results), ROWS);
});

for (const row of ROWS) {
  test(row, LATER[row] ? { todo: LATER[row] } : {}, () => {
    assert.ok(results[row] && results[row].ok, `${row}: ${results[row] && results[row].detail}`);
  });
}
