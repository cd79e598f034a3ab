// The namespaces of the global (`__MYAPP__.core`, `.event`, ...; app.withGlobalMyapp): the
// runtime's bundle step (cmake/bundle_api.cmake) turns the modules of runtime-js/src/api.list
// into one function the client calls. Each namespace has exactly what its module exports, and
// works over the client it was built around.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConnected, macrotask } from './harness.mjs';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const LIST = join(ROOT, 'runtime-js/src/api.list');

function bundle() {
  const out = mkdtempSync(join(tmpdir(), 'myapp-namespaces-'));
  execFileSync('cmake', [`-DLIST=${LIST}`, `-DDIR=${join(ROOT, 'runtime-js/src/api')}`,
    `-DOUTPUT=${join(out, 'api_modules.cpp')}`, `-DJS_OUTPUT=${join(out, 'namespaces.js')}`,
    '-P', join(ROOT, 'cmake/bundle_api.cmake')], { stdio: ['ignore', 'pipe', 'pipe'] });
  return { js: readFileSync(join(out, 'namespaces.js'), 'utf8'), cpp: readFileSync(join(out, 'api_modules.cpp'), 'utf8') };
}

let built;
try {
  built = bundle();
} catch (e) {
  built = null;
}
const skip = built ? false : 'cmake is not installed';

// The list's modules: [module, namespace].
const entries = readFileSync(LIST, 'utf8').split('\n').filter((l) => /^[A-Za-z]/.test(l)).map((l) => l.split(/\s+/));

test('each namespace has exactly the exports of its module', { skip }, async () => {
  const h = await loadConnected({ secret: '', namespaces: built.js });
  const api = h.api;
  const spaces = entries.filter(([, ns]) => ns !== '-' && ns !== 'served');
  assert.ok(spaces.length >= 10);
  for (const [module, ns] of spaces) {
    const mod = await import(`../../runtime-js/src/api/${module}.js`);
    assert.deepEqual(Object.keys(api[ns]).sort(), Object.keys(mod).sort(), `__MYAPP__.${ns} and ${module}.js`);
    assert.ok(Object.isFrozen(api[ns]));
  }
  for (const [module, ns] of entries.filter(([, n]) => n === '-' || n === 'served')) {
    assert.equal(api[module], undefined, `${module} is not a namespace`);
    assert.equal(ns === '-' || ns === 'served', true);
  }
  assert.ok(Object.isFrozen(api));
});

test('the namespaces are built around the client: its classes, its calls, its label', { skip }, async () => {
  const h = await loadConnected({ secret: '', namespaces: built.js });
  const api = h.api;
  assert.equal(api.core.IpcError, api.IpcError);
  assert.equal(api.core.Channel, api.Channel);
  assert.equal(api.core.ready, api.ready);
  assert.equal(api.core.isMyapp(), true);
  assert.equal(api.window.getCurrentWindow().label, 'main');
  api.core.invoke('greet', { name: 'Ada' });
  api.event.emitTo({ kind: 'WebviewWindow', label: 'side' }, 'ping');
  api.window.getCurrentWindow().setTitle('T');
  await macrotask();
  assert.deepEqual(h.messages().slice(1), [
    { k: 'invoke', id: 1, cmd: 'greet', args: { name: 'Ada' } },
    { k: 'emit', event: 'ping', target: 'side' },
    { k: 'invoke', id: 2, cmd: 'plugin:window|set_title', args: { label: 'main', title: 'T' } },
  ]);
});

test('a client without namespaces has the flat names only', async () => {
  const h = await loadConnected({ secret: '' });
  assert.equal(h.api.core, undefined);
  assert.equal(typeof h.api.invoke, 'function');
});

test('every module is embedded to be served at /__myapp/api/<module>.js', { skip }, () => {
  for (const [module] of entries) {
    assert.match(built.cpp, new RegExp(`\\{"${module}\\.js", R"MYAPP_EMBED\\(`), module);
  }
});

test('the bundle step refuses a module form it does not understand', { skip }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'myapp-bundle-bad-'));
  execFileSync('sh', ['-c', `printf 'bad -\\n' > ${dir}/api.list && printf 'export default 1;\\n' > ${dir}/bad.js`]);
  assert.throws(() => execFileSync('cmake', [`-DLIST=${dir}/api.list`, `-DDIR=${dir}`, `-DOUTPUT=${dir}/out.cpp`,
    '-P', join(ROOT, 'cmake/bundle_api.cmake')], { stdio: ['ignore', 'pipe', 'pipe'] }),
  (e) => /bad\.js: unsupported form: export\s+default 1;/.test(String(e.stderr)));
});
