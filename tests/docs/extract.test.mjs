// The docs sample checker itself (tests/docs/extract.mjs), on small markdown fixtures: it finds
// blocks and directives, and it fails where a sample is wrong, naming the file and line.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  checkAll, checkCall, checkExcerpt, collect, cppSource, groupUnits, htmlScripts, myappCalls,
  parseDirective, parseMarkdown, runAll,
} from './extract.mjs';

const md = (...lines) => lines.join('\n') + '\n';

const scratch = [];
process.on('exit', () => { for (const d of scratch) fs.rmSync(d, { recursive: true, force: true }); });

/** A scratch repository with the given files (removed when the tests end). */
function repo(files) {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'docs-extract-'));
  scratch.push(root);
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), text);
  }
  return root;
}

test('fences: ``` and ~~~, indented in lists, languages, and the lines they start on', () => {
  const { blocks, errors } = parseMarkdown(md(
    '# t',
    '```cpp',
    'int x = 1;',
    '```',
    '1. a step:',
    '   ~~~js',
    '   const a = 1;',
    '     const b = 2;',
    '   ~~~',
    '````md',
    '```',
    '````',
    '```',
    'plain',
    '```',
  ), 'docs/t.md');
  assert.deepEqual(errors, []);
  assert.deepEqual(blocks.map((b) => [b.lang, b.line, b.first]), [['cpp', 2, 3], ['js', 6, 7], ['md', 10, 11], ['', 13, 14]]);
  assert.equal(blocks[1].code, 'const a = 1;\n  const b = 2;');
  assert.equal(blocks[2].code, '```', 'a shorter fence inside a longer one is content');
});

test('an unterminated fence is an error at its line', () => {
  const { errors } = parseMarkdown(md('text', '```cpp', 'int x;'), 'docs/t.md');
  assert.deepEqual(errors, [{ file: 'docs/t.md', line: 2, message: 'unterminated ``` fence' }]);
});

test('directives: words, blank lines before the fence, and mistakes', () => {
  const { blocks, errors } = parseMarkdown(md(
    '<!-- test: capability commands=list_notes,read_note file capabilities/main.json -->',
    '',
    '```json',
    '{}',
    '```',
    '<!-- test: continu -->',
    '```cpp',
    '```',
    '<!-- test: continue -->',
    'a paragraph',
  ), 'docs/t.md');
  assert.deepEqual(blocks[0].directive, {
    words: 'capability commands=list_notes,read_note file capabilities/main.json',
    capability: true, commands: ['list_notes', 'read_note'], files: ['capabilities/main.json'],
  });
  assert.equal(blocks[1].directive, null);
  assert.equal(errors.length, 2);
  assert.match(errors[0].message, /unknown word `continu`/);
  assert.equal(errors[0].line, 6);
  assert.deepEqual(errors[1], { file: 'docs/t.md', line: 9, message: 'test directive not followed by a fence' });
  assert.match(parseDirective('config capability').error, /exclude each other/);
  assert.match(parseDirective('file').error, /needs a path/);
});

test('continue appends to the previous block of the same kind, with #line for each', () => {
  const { blocks } = parseMarkdown(md(
    '```cpp',
    'struct a {};',
    '```',
    '```js',
    'const x = 1;',
    '```',
    '<!-- test: continue -->',
    '```cpp',
    'a make() { return {}; }',
    '```',
  ), 'docs/t.md');
  const { units, errors } = groupUnits(blocks);
  assert.deepEqual(errors, []);
  assert.equal(units.length, 2);
  assert.equal(cppSource(units[0]).split('\n').slice(1).join('\n'),
    '#include <myapp/app.hpp>\n#line 2 "docs/t.md"\nstruct a {};\n#line 9 "docs/t.md"\na make() { return {}; }\n');
  const lone = groupUnits(parseMarkdown(md('<!-- test: continue -->', '```cpp', '```'), 'docs/u.md').blocks);
  assert.match(lone.errors[0].message, /no earlier cpp block in docs\/u.md to continue/);
});

test('an unknown language, and a cmake block without file, fail with file:line', () => {
  const { errors } = groupUnits(parseMarkdown(md('```python', 'x = 1', '```', '```cmake', 'project(x)', '```'), 'docs/t.md').blocks);
  assert.equal(errors.length, 2);
  assert.equal(errors[0].line, 1);
  assert.match(errors[0].message, /unknown language `python`/);
  assert.equal(errors[1].line, 4);
  assert.match(errors[1].message, /cmake block needs `<!-- test: file PATH -->`/);
});

test('file PATH: an excerpt must match, and a mismatch says where', () => {
  const root = repo({ 'CMakeLists.txt': 'a()\n  b(x)\nc()\n' });
  const ok = { code: ' b(x)  \nc()\n' };
  assert.equal(checkExcerpt(root, ok, 'CMakeLists.txt'), null, 'indentation is ignored');
  assert.equal(checkExcerpt(root, { code: 'b(x)\nc(y)' }, 'CMakeLists.txt'),
    '`file CMakeLists.txt`: the block matches CMakeLists.txt:2 for 1 line(s), then has `c(y)` where CMakeLists.txt:3 has `c()`');
  assert.match(checkExcerpt(root, { code: 'z()' }, 'CMakeLists.txt'), /first line `z\(\)` is not in CMakeLists.txt/);
  assert.match(checkExcerpt(root, { code: 'a()' }, 'nope.txt'), /no such file/);
});

test('myapp calls in shell lines, and their check against the CLI', () => {
  assert.deepEqual(myappCalls('myapp new hello --yes && cd hello   # comment --nope'),
    [{ sub: 'new', args: ['hello', '--yes'] }]);
  assert.deepEqual(myappCalls('MYAPP_DESCRIBE=d.json ./build/x && myapp bindings --from d.json > out.txt'),
    [{ sub: 'bindings', args: ['--from', 'd.json'] }]);
  assert.deepEqual(myappCalls('bash scripts/test.sh'), []);
  const subs = new Map([['build', new Set(['-h', '--help', '--debug'])]]);
  assert.equal(checkCall(subs, { sub: 'build', args: ['--debug'] }), null);
  assert.match(checkCall(subs, { sub: 'build', args: ['--relase'] }), /has no option `--relase`/);
  assert.match(checkCall(subs, { sub: 'biuld', args: [] }), /no such subcommand/);
  // A nested subcommand is checked against its own options.
  subs.set('permission', new Set(['-h', '--help']));
  subs.set('permission add', new Set(['-h', '--help', '--capability', '-c']));
  assert.equal(checkCall(subs, { sub: 'permission', args: ['add', 'allow-x', '--capability', 'a'] }), null);
  assert.match(checkCall(subs, { sub: 'permission', args: ['add', 'allow-x', '--capabilty'] }),
    /`myapp permission add` has no option `--capabilty`/);
});

test('html: inline scripts, with the line they start on', () => {
  const s = htmlScripts('<p>\n<script src="x.js"></script>\n<script>\nlet a;\n</script>');
  assert.equal(s.length, 1);
  assert.equal(s[0].offset, 2);
  assert.equal(s[0].code, '\nlet a;\n');
});

test('collect globs README.md and docs/*.md, including new files', () => {
  const root = repo({ 'README.md': md('```sh', 'ls', '```'), 'docs/a.md': md('```text', 'x', '```'), 'docs/notes.txt': '' });
  assert.deepEqual(collect(root).units.map((u) => u.blocks[0].file), ['README.md', 'docs/a.md']);
  fs.writeFileSync(path.join(root, 'docs/b.md'), md('```json', '{}', '```'));
  assert.deepEqual(collect(root).units.map((u) => u.blocks[0].file), ['README.md', 'docs/a.md', 'docs/b.md']);
});

test('check: broken json and bash fail at their lines; good ones pass', () => {
  const root = repo({
    'docs/a.md': md(
      '```json',
      '{ "a": 1 }',
      '```',
      '```json',
      '{',
      '  "a": 1,',
      '}',
      '```',
      '```sh',
      'if true; then echo',
      '```',
      '```text',
      'anything { at all',
      '```',
    ),
  });
  const { errors, counts } = checkAll(root, path.join(root, 'out'), { myapp: process.execPath });
  assert.equal(counts.json, 2);
  assert.equal(counts.sh, 1);
  const where = errors.map((e) => `${e.file}:${e.line}`);
  assert.deepEqual(where, ['docs/a.md:7', 'docs/a.md:11']);
  assert.match(errors[0].message, /invalid JSON/);
  assert.match(errors[1].message, /bash -n/);
});

test('check: a type error in a js block, an html script or a continued ts block is reported at its markdown line', () => {
  const real = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
  if (!fs.existsSync(path.join(real, 'tests/bindings/node_modules/.bin/tsc'))) {
    assert.fail('TypeScript is not installed in tests/bindings: run scripts/setup.sh');
  }
  const root = repo({
    'docs/a.md': md(
      'Some text.',
      '',
      '```js',
      "import { invoke } from '@myapp/api';",
      "invoke('greet', { name: 'Ada' }, { signl: null });",
      '```',
      '```html',
      '<p>',
      '<script>',
      '  window.__MYAPP__.invok("x");',
      '</script>',
      '```',
      '```ts',
      'const n: number = 1;',
      '```',
      '<!-- test: continue -->',
      '```ts',
      'const s: string = n;',
      '```',
    ),
  });
  fs.symlinkSync(path.join(real, 'runtime-js'), path.join(root, 'runtime-js'));
  fs.mkdirSync(path.join(root, 'tests/bindings'), { recursive: true });
  fs.symlinkSync(path.join(real, 'tests/bindings/node_modules'), path.join(root, 'tests/bindings/node_modules'));
  const { errors } = checkAll(root, path.join(root, 'out'), {});
  assert.deepEqual(errors.map((e) => `${e.file}:${e.line}`), ['docs/a.md:5', 'docs/a.md:10', 'docs/a.md:18']);
  assert.match(errors[0].message, /signl/);
  assert.match(errors[1].message, /invok/);
  assert.match(errors[2].message, /not assignable to type 'string'/);
});

test('run: blocks run in order in one folder, a cd carries over, and a failing block stops the run at its line', () => {
  const root = repo({
    'docs/getting-started.md': md(
      '<!-- test: run -->',
      '```sh',
      'mkdir app && cd app',
      'echo one > log',
      '```',
      'Then:',
      '<!-- test: run -->',
      '```bash',
      'echo two >> log && test "$(command -v myapp)" = "$PWD/../../run-bin/myapp" || test -x "$(command -v myapp)"',
      '```',
      '<!-- test: run -->',
      '```sh',
      'test -f nothing-here',
      '```',
      '<!-- test: run -->',
      '```sh',
      'echo never > never',
      '```',
    ),
  });
  const out = path.join(root, 'out');
  const { errors, ran } = runAll(root, out, { myapp: process.execPath, log: () => {} });
  assert.equal(ran, 3);
  assert.deepEqual(errors.map((e) => `${e.file}:${e.line}`), ['docs/getting-started.md:12']);
  assert.match(errors[0].message, /the block failed \(exit 1\)/);
  assert.equal(fs.readFileSync(path.join(out, 'run', 'app', 'log'), 'utf8'), 'one\ntwo\n');
  assert.ok(!fs.existsSync(path.join(out, 'run', 'app', 'never')));
});

test('a directive missing its colon is an error; one quoted in prose is not a directive', () => {
  const { blocks, errors } = parseMarkdown(md(
    'Mark a block with `<!-- test: run -->` to run it.',
    '<!-- test continue -->',
    '```cpp',
    '```',
  ), 'docs/t.md');
  assert.equal(blocks[0].directive, null);
  assert.equal(errors.length, 1);
  assert.equal(errors[0].line, 2);
  assert.match(errors[0].message, /malformed test directive/);
});
