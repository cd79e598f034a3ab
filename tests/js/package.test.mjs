// @myapp/api as a package: every `exports` entry points at files that exist and are packed,
// every name a module exports is declared in its .d.ts, and `npm pack` ships all of it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { CLIENT_FORMS } from './harness.mjs';

const ROOT = fileURLToPath(new URL('../../runtime-js/', import.meta.url));
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
const rel = (p) => normalize(p).replace(/^\.\//, '');

// The export map's entries as [subpath, {types, default}].
function entries() {
  return Object.entries(pkg.exports).map(([key, value]) => {
    assert.equal(typeof value, 'object', `exports["${key}"] should name its types and its module`);
    return [key, value];
  });
}

// The names a .d.ts file declares for export, following `export * from` into other .d.ts files:
// every name, or with `values` the values only (no interfaces, types or `export type`).
function declaredNames(file, { values = false } = {}, seen = new Set()) {
  if (seen.has(file)) return new Set();
  seen.add(file);
  const text = readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '');
  const names = new Set();
  const kinds = values ? 'function|const|let|var|class|enum' : 'function|const|let|var|class|interface|type|namespace|enum';
  const decl = new RegExp(`^\\s*export\\s+(?:declare\\s+)?(?:abstract\\s+)?(?:${kinds})\\s+([A-Za-z_$][\\w$]*)`, 'gm');
  for (const m of text.matchAll(decl)) names.add(m[1]);
  for (const m of text.matchAll(values ? /export\s+\{([^}]*)\}/g : /export\s+(?:type\s+)?\{([^}]*)\}/g)) {
    for (const part of m[1].split(',')) {
      const name = part.trim().split(/\s+as\s+/).pop().trim();
      if (name) names.add(name);
    }
  }
  for (const m of text.matchAll(/export\s+\*\s+as\s+([A-Za-z_$][\w$]*)\s+from/g)) names.add(m[1]);
  for (const m of text.matchAll(/export\s+\*\s+from\s+['"]([^'"]+)['"]/g)) {
    let target = join(dirname(file), m[1]).replace(/\.js$/, '');
    target = existsSync(`${target}.d.ts`) ? `${target}.d.ts` : target;
    for (const n of declaredNames(target, { values }, seen)) names.add(n);
  }
  return names;
}

test('package.json describes an ES module package with types', () => {
  assert.equal(pkg.name, '@myapp/api');
  assert.equal(pkg.type, 'module');
  assert.equal(pkg.types, pkg.exports['.'].types, 'top-level "types" matches exports["."]');
  assert.ok(Array.isArray(pkg.files) && pkg.files.length > 0, '"files" lists what is shipped');
});

test('every exports entry has a module and its types, both existing and listed in "files"', () => {
  const files = new Set(pkg.files.map(rel));
  for (const [key, value] of entries()) {
    for (const cond of ['types', 'default']) {
      assert.ok(value[cond], `exports["${key}"] lacks "${cond}"`);
      assert.ok(existsSync(join(ROOT, value[cond])), `exports["${key}"].${cond}: ${value[cond]} does not exist`);
      assert.ok(files.has(rel(value[cond])), `exports["${key}"].${cond}: ${value[cond]} is not in "files"`);
    }
    assert.ok(value.types.endsWith('.d.ts'), `exports["${key}"].types should be a .d.ts file`);
    const keys = Object.keys(value);
    assert.equal(keys[0], 'types', `exports["${key}"]: "types" must come first to be seen by TypeScript`);
  }
});

test('every value each entry\'s .d.ts declares exists at run time', async () => {
  for (const [key, value] of entries()) {
    const mod = await import(`${pathToFileURL(join(ROOT, value.default)).href}?package-values`);
    if (mod.ready instanceof Promise) mod.ready.catch(() => {});
    const missing = [...declaredNames(join(ROOT, value.types), { values: true })].filter((name) => !(name in mod));
    assert.deepEqual(missing, [], `exports["${key}"]: ${value.types} declares ${missing.join(', ')}, which the module lacks`);
  }
});

test('every name each entry exports at run time is declared in its .d.ts', async () => {
  const had = Object.prototype.hasOwnProperty.call(globalThis, '__MYAPP__');
  for (const [key, value] of entries()) {
    const mod = await import(`${pathToFileURL(join(ROOT, value.default)).href}?package-test`);
    if (mod.ready instanceof Promise) mod.ready.catch(() => {}); // outside a webview it rejects
    const declared = declaredNames(join(ROOT, value.types));
    const missing = Object.keys(mod).filter((name) => !declared.has(name));
    assert.deepEqual(missing, [], `exports["${key}"]: ${value.types} does not declare ${missing.join(', ')}`);
  }
  assert.equal(Object.prototype.hasOwnProperty.call(globalThis, '__MYAPP__'), had);
});

test('the page client ships whole: every part src/client.list names is in "files"', () => {
  const files = new Set(pkg.files.map(rel));
  assert.ok(files.has('src/client.list'), 'src/client.list is not in "files"');
  assert.deepEqual(Object.keys(CLIENT_FORMS), ['page', 'relayed', 'isolation']);
  for (const parts of Object.values(CLIENT_FORMS)) {
    for (const part of parts) assert.ok(files.has(rel(`src/${part}`)), `src/${part} is not in "files"`);
  }
});

test('every module src/api.list names is shipped, and every module of src/api/ is listed', () => {
  const files = new Set(pkg.files.map(rel));
  assert.ok(files.has('src/api.list'), 'src/api.list is not in "files"');
  const listed = readFileSync(join(ROOT, 'src/api.list'), 'utf8').split('\n')
    .filter((l) => /^[A-Za-z]/.test(l)).map((l) => l.split(/\s+/)[0]);
  for (const m of listed) assert.ok(files.has(`src/api/${m}.js`), `src/api/${m}.js is not in "files"`);
  const modules = readdirSync(join(ROOT, 'src/api')).filter((f) => f.endsWith('.js')).map((f) => f.slice(0, -3));
  assert.deepEqual(modules.sort(), [...listed].sort(), 'src/api.list names every module of src/api/');
});

test('npm pack ships every file the exports map and "files" name', { timeout: 60000 }, () => {
  let out;
  try {
    out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
      cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'],
    });
  } catch (e) {
    assert.fail(`npm pack --dry-run failed (is npm installed?): ${e.message}`);
  }
  const packed = new Set(JSON.parse(out)[0].files.map((f) => rel(f.path)));
  for (const f of pkg.files) assert.ok(packed.has(rel(f)), `npm pack leaves out ${f}`);
  for (const [, value] of entries()) {
    assert.ok(packed.has(rel(value.types)) && packed.has(rel(value.default)));
  }
  assert.ok(packed.has('package.json') && packed.has('README.md'));
  assert.ok(![...packed].some((f) => f.includes('test')), 'no tests in the package');
});
