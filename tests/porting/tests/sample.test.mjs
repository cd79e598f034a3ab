// The Tauri-shaped sample (../sample) in the real app: every feature it tries works with only its
// imports mapped, unbundled (the import map, under the templates' CSP) or bundled (Vite with the
// vite-ts template's alias; run.sh bundled). Run by `myapp test` (tests/porting/CMakeLists.txt).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from '../../../templates/common/tests/myapp.mjs';

// What myapp does not do as Tauri does yet (docs/porting-from-tauri.md, "What differs"): a
// command failing with a plain value, and a raw request body with headers.
const LATER = {
  'errors as values': 'a failed command rejects with an IpcError, not with the value it failed with',
  'raw bodies with headers': 'invoke() takes an object of arguments, not a raw body',
};
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
