// The docs' code samples: finds every fenced block in README.md and docs/*.md, reads the
// `<!-- test: ... -->` directive before it (tests/docs/README.md), writes the C++ translation
// units for CMake to compile and checks every other kind.
//
//   node extract.mjs cpp   --root ROOT --out DIR            C++ units into DIR/cpp (configure time)
//   node extract.mjs check --root ROOT --out DIR --myapp BIN --acl BIN   the other kinds (docs.samples)
//   node extract.mjs run   --root ROOT --out DIR --myapp BIN  the `run` blocks, in order (docs.getting_started)
//
// Each problem is printed as `docs/FILE.md:LINE: message`; any problem fails the check.
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The kinds of fence, by language tag. `null`: not code, not checked. */
const KINDS = {
  cpp: 'cpp',
  js: 'js', javascript: 'js', ts: 'ts',
  json: 'json',
  sh: 'sh', bash: 'sh',
  cmake: 'cmake',
  html: 'html',
  text: null, console: null, output: null, '': null,
};

/** Directive words: flags, and words taking a value (`file PATH`, `commands=a,b`, `module NAME`). */
const FLAGS = new Set(['continue', 'main', 'run', 'config', 'capability', 'permissions']);

const DIRECTIVE_RE = /^\s*<!--\s*test:(.*?)-->\s*$/;
const ANY_DIRECTIVE_RE = /^\s*<!--\s*test\b/;  // a directive-like comment opening a line
const FENCE_RE = /^( *)(`{3,}|~{3,})(.*)$/;

/** The markdown files whose samples are checked: README.md and docs/*.md, sorted. */
export function docFiles(root) {
  const out = [];
  if (fs.existsSync(path.join(root, 'README.md'))) out.push('README.md');
  const docs = path.join(root, 'docs');
  if (fs.existsSync(docs)) {
    for (const f of fs.readdirSync(docs).sort()) {
      if (f.endsWith('.md')) out.push(`docs/${f}`);
    }
  }
  return out;
}

/** Parses `<!-- test: WORDS -->`'s WORDS. Returns { directive } or { error }. */
export function parseDirective(words) {
  const d = { words: words.trim() };
  const tokens = words.trim().split(/\s+/).filter(Boolean);
  if (tokens.length === 0) return { error: 'empty test directive' };
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (FLAGS.has(t)) {
      d[t] = true;
    } else if (t === 'file' || t === 'module' || t === 'in') {
      const v = tokens[++i];
      if (!v) return { error: `test directive: \`${t}\` needs a ${t === 'module' ? 'name' : 'path'}` };
      if (t === 'file') (d.files ??= []).push(v);
      else if (t === 'in') d.in = v.replace(/\/+$/, '');
      else if (!/^[A-Za-z_][\w.-]*$/.test(v)) return { error: `test directive: bad module name \`${v}\`` };
      else d.module = v;
    } else if (t.startsWith('commands=')) {
      d.commands = t.slice('commands='.length).split(',').filter(Boolean);
    } else {
      return {
        error: `unknown word \`${t}\` in test directive (known: ${[...FLAGS].join(', ')}, ` +
          'file PATH, module NAME, in DIR, commands=a,b)',
      };
    }
  }
  const roles = ['config', 'capability', 'permissions'].filter((r) => d[r]);
  if (roles.length > 1) return { error: `test directive: ${roles.join(' and ')} exclude each other` };
  return { directive: d };
}

/**
 * Finds the fenced blocks of one markdown text. Fences are ``` or ~~~ (three or more), possibly
 * indented (inside list items); the content loses the fence's indentation. Returns
 * { blocks, errors }; a block is { file, line (of the opening fence, 1-based), first (line of
 * its first content line), lang, kind, directive, code (string) }.
 */
export function parseMarkdown(text, file) {
  const lines = text.split(/\r?\n/);
  const blocks = [];
  const errors = [];
  let pending = null;  // a directive waiting for its fence: { line, directive }
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const fence = FENCE_RE.exec(line);
    if (fence && !(fence[2][0] === '`' && fence[3].includes('`'))) {
      const [, indent, marker, info] = fence;
      const lang = info.trim().split(/\s+/)[0].toLowerCase();
      const start = i;
      const body = [];
      let closed = false;
      for (i++; i < lines.length; i++) {
        const close = /^( *)(`{3,}|~{3,})\s*$/.exec(lines[i]);
        if (close && close[2][0] === marker[0] && close[2].length >= marker.length) {
          closed = true;
          break;
        }
        // Strip at most the fence's indentation (CommonMark).
        let l = lines[i];
        let n = 0;
        while (n < indent.length && l[n] === ' ') n++;
        body.push(l.slice(n));
      }
      if (!closed) {
        errors.push({ file, line: start + 1, message: `unterminated ${marker} fence` });
        return { blocks, errors };
      }
      const block = {
        file, line: start + 1, first: start + 2, lang,
        kind: Object.hasOwn(KINDS, lang) ? KINDS[lang] : undefined,
        directive: pending ? pending.directive : null,
        code: body.join('\n'),
      };
      pending = null;
      blocks.push(block);
      continue;
    }
    const m = DIRECTIVE_RE.exec(line);
    if (m) {
      if (pending) errors.push({ file, line: pending.line, message: 'test directive not followed by a fence' });
      const parsed = parseDirective(m[1]);
      if (parsed.error) {
        errors.push({ file, line: i + 1, message: parsed.error });
        pending = null;
      } else {
        pending = { line: i + 1, directive: parsed.directive };
      }
      continue;
    }
    if (ANY_DIRECTIVE_RE.test(line)) {
      errors.push({ file, line: i + 1, message: 'malformed test directive (expected `<!-- test: WORDS -->` alone on its line)' });
      continue;
    }
    if (line.trim() !== '' && pending) {
      errors.push({ file, line: pending.line, message: 'test directive not followed by a fence' });
      pending = null;
    }
  }
  if (pending) errors.push({ file, line: pending.line, message: 'test directive not followed by a fence' });
  return { blocks, errors };
}

/**
 * Checks the blocks' kinds and directives, and groups `continue` blocks with the block before
 * them of the same kind family. Returns { units, errors }: a unit is { kind, blocks: [...] }.
 */
export function groupUnits(blocks) {
  const units = [];
  const errors = [];
  const last = {};  // kind family -> the last unit of this file
  const family = (k) => (k === 'ts' || k === 'js' ? 'script' : k);
  for (const b of blocks) {
    const d = b.directive ?? {};
    if (b.kind === undefined) {
      errors.push({ file: b.file, line: b.line, message: `unknown language \`${b.lang}\` (known: ${Object.keys(KINDS).filter(Boolean).join(', ')}, or no language for text)` });
      continue;
    }
    if (b.kind === 'cmake' && !d.files) {
      errors.push({ file: b.file, line: b.line, message: 'a cmake block needs `<!-- test: file PATH -->` (the file it is taken from)' });
      continue;
    }
    if ((d.config || d.capability || d.permissions) && b.kind !== 'json') {
      errors.push({ file: b.file, line: b.line, message: `\`${d.config ? 'config' : d.capability ? 'capability' : 'permissions'}\` is for json blocks` });
      continue;
    }
    if (d.run && b.kind !== 'sh') {
      errors.push({ file: b.file, line: b.line, message: '`run` is for sh and bash blocks' });
      continue;
    }
    if ((d.module || d.in) && !['js', 'ts'].includes(b.kind)) {
      errors.push({ file: b.file, line: b.line, message: '`module` and `in` are for js and ts blocks' });
      continue;
    }
    if (d.commands && !d.capability && !d.permissions) {
      errors.push({ file: b.file, line: b.line, message: '`commands=` goes with `capability` or `permissions`' });
      continue;
    }
    if (b.kind === null) {
      if (b.directive && !d.files) {
        errors.push({ file: b.file, line: b.line, message: `a \`${b.lang || 'plain'}\` block is not code: only \`file PATH\` applies to it` });
      }
      units.push({ kind: null, blocks: [b] });
      continue;
    }
    if (d.continue) {
      const prev = last[family(b.kind)];
      if (!prev || !['cpp', 'script'].includes(family(b.kind))) {
        errors.push({ file: b.file, line: b.line, message: `\`continue\`: no earlier ${b.kind} block in ${b.file} to continue` });
        continue;
      }
      prev.blocks.push(b);
      continue;
    }
    const unit = { kind: b.kind, blocks: [b] };
    units.push(unit);
    last[family(b.kind)] = unit;
  }
  return { units, errors };
}

/** Reads and parses every doc file. */
export function collect(root, files = docFiles(root)) {
  const units = [];
  const errors = [];
  for (const f of files) {
    const text = fs.readFileSync(path.join(root, f), 'utf8');
    const parsed = parseMarkdown(text, f);
    errors.push(...parsed.errors);
    const grouped = groupUnits(parsed.blocks);
    errors.push(...grouped.errors);
    units.push(...grouped.units);
  }
  return { units, errors };
}

const slug = (file) => file.replace(/\.md$/, '').replace(/[^A-Za-z0-9]+/g, '_');

/** Writes `text` to `file` unless it already holds exactly that (keeps build timestamps). */
function writeIfChanged(file, text) {
  try {
    if (fs.readFileSync(file, 'utf8') === text) return;
  } catch { /* absent */ }
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
}

/** The C++ translation unit of a cpp unit: myapp/app.hpp, then each block after a #line. */
export function cppSource(unit) {
  let text = '// Generated by tests/docs/extract.mjs from the docs: edit the markdown, not this.\n' +
    '#include <myapp/app.hpp>\n';
  for (const b of unit.blocks) text += `#line ${b.first} "${b.file}"\n${b.code}\n`;
  return text;
}

/** Configure time: writes one .cpp per cpp unit into OUT/cpp and OUT/cpp/sources.txt. */
export function writeCpp(root, out) {
  const { units } = collect(root);
  const dir = path.join(out, 'cpp');
  fs.mkdirSync(dir, { recursive: true });
  const names = [];
  const mains = [];
  for (const u of units.filter((x) => x.kind === 'cpp')) {
    const b = u.blocks[0];
    const name = `${slug(b.file)}_L${b.line}.cpp`;
    writeIfChanged(path.join(dir, name), cppSource(u));
    names.push(name);
    if (u.blocks.some((x) => x.directive?.main)) mains.push(name);
  }
  for (const f of fs.readdirSync(dir)) {
    if (f.endsWith('.cpp') && !names.includes(f)) fs.rmSync(path.join(dir, f));
  }
  writeIfChanged(path.join(dir, 'sources.txt'), names.map((n) => `${dir}/${n}`).join(';'));
  writeIfChanged(path.join(dir, 'mains.txt'), mains.map((n) => `${dir}/${n}`).join(';'));
  return names.length;
}

// ---------------------------------------------------------------------------------------------
// checks

const trimLines = (text) => {
  const l = text.split('\n').map((s) => s.trim());
  while (l.length && l[0] === '') l.shift();
  while (l.length && l[l.length - 1] === '') l.pop();
  return l;
};

/** `file PATH`: the block's lines, trimmed, appear contiguous and in order in PATH. */
export function checkExcerpt(root, block, rel) {
  const target = path.join(root, rel);
  let text;
  try {
    text = fs.readFileSync(target, 'utf8');
  } catch {
    return `\`file ${rel}\`: no such file in the repository`;
  }
  const want = trimLines(block.code);
  const have = text.split(/\r?\n/).map((s) => s.trim());
  if (want.length === 0) return `\`file ${rel}\`: the block is empty`;
  let best = { len: -1, at: -1 };
  for (let i = 0; i < have.length; i++) {
    let n = 0;
    while (n < want.length && i + n < have.length && have[i + n] === want[n]) n++;
    if (n === want.length) return null;
    if (n > best.len) best = { len: n, at: i };
  }
  if (best.len <= 0) {
    return `\`file ${rel}\`: the block's first line \`${want[0]}\` is not in ${rel}`;
  }
  const got = have[best.at + best.len];
  return `\`file ${rel}\`: the block matches ${rel}:${best.at + 1} for ${best.len} line(s), then has ` +
    `\`${want[best.len]}\` where ${rel}:${best.at + best.len + 1} has ` +
    (got === undefined ? 'nothing (end of file)' : `\`${got}\``);
}

/** Position of a JSON.parse error as a line within the text, when node tells it. */
function jsonErrorLine(text, err) {
  const m = /position (\d+)/.exec(err.message);
  // Without a position V8 quotes the text around the mistake; a trailing comma is the usual one.
  const pos = m ? Number(m[1]) : /,\s*[\]}]/.exec(text)?.index;
  return pos === undefined ? 0 : text.slice(0, pos).split('\n').length - 1;
}

/** The line of an md block at offset `n` (0-based) of its code. */
const at = (b, n = 0) => ({ file: b.file, line: b.first + n });

/** The inline scripts of an html block: [{ code, offset (line within the block) }]. */
export function htmlScripts(code) {
  const out = [];
  const re = /<script\b([^>]*)>([\s\S]*?)<\/script>/gi;
  let m;
  while ((m = re.exec(code))) {
    if (/\bsrc\s*=/.test(m[1])) continue;
    const type = /\btype\s*=\s*["']?([^"'\s>]+)/.exec(m[1]);
    if (type && !['module', 'text/javascript', 'application/javascript'].includes(type[1])) continue;
    const before = code.slice(0, m.index + m[0].indexOf('>') + 1);
    out.push({ code: m[2], offset: before.split('\n').length - 1 });
  }
  return out;
}

/** Every `myapp SUBCOMMAND ...` of a shell line: [{ sub, args }]. */
export function myappCalls(line) {
  const calls = [];
  const code = line.replace(/(^|\s)#.*$/, '');
  // Split into simple commands at && || ; | ( ) and $( ... ).
  for (const part of code.split(/&&|\|\||[;|()]|\$\(/)) {
    const words = part.trim().split(/\s+/).filter(Boolean);
    let i = 0;
    while (i < words.length && /^[A-Za-z_][A-Za-z0-9_]*=/.test(words[i])) i++;  // VAR=value
    if (words[i] === 'env' || words[i] === 'exec' || words[i] === 'command') i++;
    if (words[i] !== 'myapp') continue;
    // The arguments end at the first redirection (`> file`).
    const redirectAt = words.slice(i + 1).findIndex((w) => /^[0-9&]*[<>]/.test(w));
    const args = redirectAt >= 0 ? words.slice(i + 1, i + 1 + redirectAt) : words.slice(i + 1);
    calls.push({ sub: args[0], args: args.slice(1) });
  }
  return calls;
}

/**
 * Reads `myapp --help`, `myapp SUB --help` and, for a command with subcommands of its own,
 * `myapp SUB SUB2 --help`: { subs: Map(sub or "sub sub2" -> Set(options)) }.
 */
export function cliSpec(myapp) {
  const run = (args) => {
    const r = spawnSync(myapp, args, { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`${myapp} ${args.join(' ')} failed: ${r.stderr || r.error}`);
    return r.stdout;
  };
  const names = (help) => {
    const sect = /Subcommands:\n([\s\S]*?)(\n\n|$)/.exec(help);
    return sect ? sect[1].split('\n').map((l) => /^\s+(\S+)/.exec(l)?.[1]).filter(Boolean) : [];
  };
  const subs = new Map();
  const read = (path) => {
    const help = run([...path, '--help']);
    const opts = new Set();
    // CLI11's option column: `  -t,--template TEXT   description`.
    for (const l2 of help.split('\n')) {
      const col = /^\s+(-\S*)/.exec(l2);
      if (col) for (const o of col[1].split(',')) if (o.startsWith('-')) opts.add(o);
    }
    subs.set(path.join(' '), opts);
    if (path.length === 1) for (const n of names(help)) read([...path, n]);
  };
  const top = names(run(['--help']));
  if (top.length === 0) throw new Error(`${myapp} --help lists no subcommands`);
  for (const n of top) read([n]);
  return subs;
}

/** Checks one `myapp ...` call against the CLI's help; an error message or null. */
export function checkCall(subs, call) {
  if (!call.sub || call.sub.startsWith('-')) {
    return call.sub === '--version' || call.sub === '--help' ? null : 'myapp without a subcommand';
  }
  // `myapp permission add ...`: the nested subcommand's own options.
  if (call.args.length > 0 && subs.has(`${call.sub} ${call.args[0]}`)) {
    call = { sub: `${call.sub} ${call.args[0]}`, args: call.args.slice(1) };
  }
  const opts = subs.get(call.sub);
  if (!opts) return `\`myapp ${call.sub}\`: no such subcommand (myapp has ${[...subs.keys()].join(', ')})`;
  for (const a of call.args) {
    if (!a.startsWith('-') || a === '-' || a === '--') continue;
    const name = a.split('=')[0];
    if (!opts.has(name)) {
      return `\`myapp ${call.sub}\` has no option \`${name}\` (it has ${[...opts].sort().join(', ')})`;
    }
  }
  return null;
}

function tscPath(root) {
  const tsc = path.join(root, 'tests/bindings/node_modules/.bin/tsc');
  if (!fs.existsSync(tsc)) {
    throw new Error('TypeScript is not installed in tests/bindings: run scripts/setup.sh (npm ci there)');
  }
  return tsc;
}

/**
 * Type-checks the js/ts units and html inline scripts with tsc. `scripts`: [{ ext, segments:
 * [{ block, code, offset }], module? }]. Returns errors mapped back to the markdown.
 */
export function typecheck(root, out, scripts) {
  if (scripts.length === 0) return [];
  const dir = path.join(out, 'ts');
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(path.join(dir, 'node_modules', '@myapp'), { recursive: true });
  // '@myapp/api' and its subpaths resolve through runtime-js/package.json's exports.
  fs.symlinkSync(path.join(root, 'runtime-js'), path.join(dir, 'node_modules', '@myapp', 'api'), 'dir');
  // The global the myapp webview injects (window.__MYAPP__), declared by '@myapp/api'.
  fs.writeFileSync(path.join(dir, 'globals.d.ts'), "import type {} from '@myapp/api';\nexport {};\n");
  // Node's built-in modules, for samples of code that runs in node (tests): untyped, as no
  // @types/node is installed.
  fs.writeFileSync(path.join(dir, 'node.d.ts'), "declare module 'node:*';\n");
  const rootDirs = [];
  const errors = [];
  const maps = new Map();  // generated file -> [{ genLine, block, offset }]
  const files = { js: [], ts: [] };
  for (const s of scripts) {
    const b0 = s.segments[0].block;
    let sub = path.join(dir, slug(b0.file));
    const inDir = b0.directive?.in;
    if (inDir) {
      // `in DIR`: checked as if it were a module in DIR (its relative imports resolve there).
      if (!fs.existsSync(path.join(root, inDir))) {
        errors.push({ ...at(b0, -1), message: `\`in ${inDir}\`: no such folder in the repository` });
        continue;
      }
      sub = path.join(dir, 'in', `${slug(b0.file)}_L${b0.line}`);
      rootDirs.push(sub, path.join(root, inDir));
    }
    const name = s.module ? `${s.module}.${s.ext}` : `L${b0.line}${s.html ? '_html' + s.index : ''}.${s.ext}`;
    const file = path.join(sub, name);
    // Only the samples are checked, not the repository's JS files they import.
    let text = s.ext === 'js' ? '// @ts-check\n' : '';
    const map = [];
    let genLine = s.ext === 'js' ? 2 : 1;
    for (const seg of s.segments) {
      map.push({ genLine, block: seg.block, offset: seg.offset });
      text += seg.code + '\n';
      genLine += seg.code.split('\n').length;
    }
    text += 'export {};\n';  // each block is a module of its own
    fs.mkdirSync(sub, { recursive: true });
    fs.writeFileSync(file, text);
    maps.set(path.resolve(file), map);
    files[s.ext].push(path.relative(dir, file));
  }
  const common = {
    target: 'ES2022', module: 'ESNext', moduleResolution: 'bundler', lib: ['ES2022', 'DOM', 'DOM.Iterable'],
    // Libraries' own .d.ts (runtime-js's are checked by cli.bindings.tsc) are taken as they are.
    noEmit: true, skipLibCheck: true, types: [],
  };
  const tsc = tscPath(root);
  for (const [ext, opts] of [
    ['ts', { ...common, strict: true }],
    // Plain JS in the docs reads like page code: checked, without strict null checks.
    ['js', { ...common, allowJs: true, checkJs: false, strict: false }],
  ]) {
    if (files[ext].length === 0) continue;
    const config = path.join(dir, `tsconfig.${ext}.json`);
    const compilerOptions = rootDirs.length ? { ...opts, rootDirs } : opts;
    fs.writeFileSync(config, JSON.stringify({ compilerOptions, files: ['globals.d.ts', 'node.d.ts', ...files[ext]] }, null, 2));
    const r = spawnSync(tsc, ['-p', config, '--pretty', 'false'], { encoding: 'utf8', cwd: dir });
    const outText = (r.stdout || '') + (r.stderr || '');
    if (r.status === 0) continue;
    let mapped = 0;
    for (const l of outText.split('\n')) {
      const m = /^(.+?)\((\d+),(\d+)\): (error .*)$/.exec(l);
      if (!m) continue;
      const abs = path.resolve(dir, m[1]);
      const map = maps.get(abs);
      if (!map) {
        errors.push({ file: path.relative(root, abs), line: Number(m[2]), message: m[4] });
        mapped++;
        continue;
      }
      const line = Number(m[2]);
      let seg = map[0];
      for (const s of map) if (s.genLine <= line) seg = s;
      errors.push({ file: seg.block.file, line: seg.block.first + seg.offset + (line - seg.genLine), col: Number(m[3]), message: m[4] });
      mapped++;
    }
    if (mapped === 0) errors.push({ file: 'tests/docs', line: 0, message: `tsc failed:\n${outText}` });
  }
  return errors;
}

/**
 * Validates config/capability/permissions blocks with the helper linked against myapp (its
 * config reader and its ACL with the desktop plugins): `acl KIND NAME FILE [COMMANDS]`.
 */
function validateJson(acl, out, block, kind, commands) {
  const dir = path.join(out, 'json');
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${slug(block.file)}_L${block.line}.json`);
  fs.writeFileSync(file, block.code);
  const r = spawnSync(acl, [kind, `${block.file}:${block.line}`, file, (commands ?? []).join(',')], {
    encoding: 'utf8',
    env: { ...process.env, QT_QPA_PLATFORM: process.env.QT_QPA_PLATFORM || 'offscreen', MYAPP_LOG_FILE: '0' },
  });
  if (r.status === 0) return null;
  return `not a valid ${kind} file:\n${(r.stdout + r.stderr).trim().split('\n').map((l) => '    ' + l).join('\n')}`;
}

/** docs.samples: every kind but cpp (compiled by CMake) and the `run` blocks. */
export function checkAll(root, out, { myapp, acl, log = console.log } = {}) {
  const { units, errors } = collect(root);
  const counts = {};
  const count = (k) => { counts[k] = (counts[k] ?? 0) + 1; };
  const scripts = [];
  let subs = null;
  for (const u of units) {
    const b = u.blocks[0];
    // `file PATH` on any block.
    for (const blk of u.blocks) {
      for (const rel of blk.directive?.files ?? []) {
        count('file');
        const e = checkExcerpt(root, blk, rel);
        if (e) errors.push({ ...at(blk, -1), message: e });
      }
    }
    switch (u.kind) {
      case 'cpp': count('cpp'); break;  // compiled by the docs_samples target
      case 'js':
      case 'ts': {
        count(u.kind);
        const ext = u.blocks.some((x) => x.kind === 'ts') ? 'ts' : 'js';
        scripts.push({ ext, module: b.directive?.module, segments: u.blocks.map((x) => ({ block: x, code: x.code, offset: 0 })) });
        break;
      }
      case 'html': {
        count('html');
        htmlScripts(b.code).forEach((s, index) => {
          count('html script');
          scripts.push({ ext: 'js', html: true, index, segments: [{ block: b, code: s.code, offset: s.offset }] });
        });
        break;
      }
      case 'json': {
        count('json');
        let ok = true;
        try {
          JSON.parse(b.code);
        } catch (e) {
          ok = false;
          errors.push({ ...at(b, jsonErrorLine(b.code, e)), message: `invalid JSON: ${e.message}` });
        }
        const d = b.directive ?? {};
        const kind = d.config ? 'config' : d.capability ? 'capability' : d.permissions ? 'permissions' : null;
        if (ok && kind) {
          count(`json ${kind}`);
          if (!acl) throw new Error('--acl is needed to validate config, capability and permissions blocks');
          const e = validateJson(acl, out, b, kind, d.commands);
          if (e) errors.push({ ...at(b, -1), message: e });
        }
        break;
      }
      case 'sh': {
        count('sh');
        const r = spawnSync('bash', ['-n'], { input: b.code, encoding: 'utf8' });
        if (r.status !== 0) {
          for (const l of r.stderr.trim().split('\n')) {
            const m = /line (\d+): (.*)$/.exec(l);
            errors.push({ ...at(b, m ? Number(m[1]) - 1 : 0), message: `bash -n: ${m ? m[2] : l}` });
          }
        }
        b.code.split('\n').forEach((line, n) => {
          for (const call of myappCalls(line)) {
            count('myapp call');
            if (!myapp) throw new Error('--myapp is needed to check the myapp commands of sh blocks');
            subs ??= cliSpec(myapp);
            const e = checkCall(subs, call);
            if (e) errors.push({ ...at(b, n), message: e });
          }
        });
        if (b.directive?.run) count('sh run');
        break;
      }
      case 'cmake': count('cmake'); break;  // `file PATH` checked above
      case null: count('not code'); break;
      default: break;
    }
  }
  errors.push(...typecheck(root, out, scripts));
  errors.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line);
  return { errors, counts };
}

/** docs.getting_started: the `run` blocks, in file order, in one folder, one bash each. */
export function runAll(root, out, { myapp, buildTree, log = console.log }) {
  const { units, errors } = collect(root);
  if (errors.length) return { errors, ran: 0 };
  const work = path.join(out, 'run');
  fs.rmSync(work, { recursive: true, force: true });
  fs.mkdirSync(work, { recursive: true });
  const bin = path.join(out, 'run-bin');
  fs.mkdirSync(bin, { recursive: true });
  const link = path.join(bin, 'myapp');
  fs.rmSync(link, { force: true });
  fs.symlinkSync(path.resolve(myapp), link);
  const env = { ...process.env, PATH: `${bin}:${process.env.PATH}` };
  delete env.MYAPP_SMOKE_TEST;
  delete env.MYAPP_DEV_URL;
  env.QT_QPA_PLATFORM ||= 'offscreen';
  if (process.getuid?.() === 0) env.QTWEBENGINE_DISABLE_SANDBOX = '1';  // Chromium as root
  // `myapp new` runs npm install for the app's test: from npm's cache when it has the packages
  // (scripts/setup.sh put the same pinned playwright-core there), with no audit or funding calls.
  env.npm_config_prefer_offline ||= 'true';
  env.npm_config_audit ||= 'false';
  env.npm_config_fund ||= 'false';
  const runs = units.filter((x) => x.kind === 'sh' && x.blocks[0].directive?.run);
  if (runs.length && buildTree) {
    // The apps the blocks build find this build's myapp through CMAKE_PREFIX_PATH.
    const prefix = path.join(out, 'prefix');
    const r = spawnSync('cmake', ['--install', buildTree, '--prefix', prefix], { encoding: 'utf8' });
    if (r.status !== 0) return { errors: [{ file: 'tests/docs', line: 0, message: `cmake --install failed: ${r.stderr}` }], ran: 0 };
    env.CMAKE_PREFIX_PATH = prefix + (env.CMAKE_PREFIX_PATH ? `:${env.CMAKE_PREFIX_PATH}` : '');
  }
  let ran = 0;
  // The blocks share one shell state through a file the previous block leaves: the folder it
  // ended in (a `cd` in one block holds for the next, as for a reader typing them).
  const cwdFile = path.join(out, 'run-cwd');
  fs.writeFileSync(cwdFile, work);
  for (const u of runs) {
    const b = u.blocks[0];
    log(`--- ${b.file}:${b.line}`);
    const script = `set -eo pipefail\ncd "$(cat '${cwdFile}')"\n${b.code}\npwd > '${cwdFile}'\n`;
    const r = spawnSync('bash', ['-c', script], { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 600_000 });
    process.stdout.write(r.stdout ?? '');
    process.stderr.write(r.stderr ?? '');
    ran++;
    if (r.status !== 0) {
      errors.push({ ...at(b, -1), message: `the block failed (exit ${r.status ?? r.signal})` });
      break;
    }
  }
  return { errors, ran };
}

export const formatError = (e) => `${e.file}:${e.line}${e.col ? ':' + e.col : ''}: ${e.message}`;

function main(argv) {
  const [mode, ...rest] = argv;
  const opts = {};
  for (let i = 0; i < rest.length; i += 2) {
    if (!rest[i].startsWith('--') || rest[i + 1] === undefined) {
      console.error(`extract.mjs: bad argument ${rest[i]}`);
      return 2;
    }
    opts[rest[i].slice(2)] = rest[i + 1];
  }
  const root = path.resolve(opts.root ?? path.join(path.dirname(fileURLToPath(import.meta.url)), '../..'));
  const out = path.resolve(opts.out ?? '.');
  if (mode === 'cpp') {
    const n = writeCpp(root, out);
    const { errors } = collect(root);
    for (const e of errors) console.error(`docs: ${formatError(e)} (docs.samples fails until this is fixed)`);
    console.log(`docs: ${n} C++ sample unit(s) in ${path.join(out, 'cpp')}`);
    return 0;
  }
  if (mode === 'check') {
    const t0 = Date.now();
    const { errors, counts } = checkAll(root, out, { myapp: opts.myapp, acl: opts.acl });
    for (const e of errors) console.error(formatError(e));
    const summary = Object.entries(counts).map(([k, v]) => `${k} ${v}`).join(', ');
    console.log(`docs: ${docFiles(root).length} files; checked: ${summary}; ${errors.length} problem(s); ${Date.now() - t0} ms`);
    return errors.length ? 1 : 0;
  }
  if (mode === 'run') {
    if (!opts.myapp) { console.error('extract.mjs run: --myapp BIN is needed'); return 2; }
    const { errors, ran } = runAll(root, out, { myapp: opts.myapp, buildTree: opts['build-tree'] });
    if (ran === 0 && errors.length === 0) {
      errors.push({ file: 'docs/getting-started.md', line: 1, message: 'no `<!-- test: run -->` block in the docs: nothing was run' });
    }
    for (const e of errors) console.error(formatError(e));
    console.log(`docs: ran ${ran} run block(s); ${errors.length} problem(s)`);
    return errors.length ? 1 : 0;
  }
  console.error('usage: extract.mjs cpp|check|run --root ROOT --out DIR [--myapp BIN] [--acl BIN]');
  return 2;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    process.exitCode = main(process.argv.slice(2));
  } catch (e) {
    console.error(`docs: ${e.message}`);
    process.exitCode = 1;
  }
}
