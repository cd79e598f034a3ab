// Checks that every repository path docs/architecture.md names exists, so that the map of the
// source tree stays true as files move. Usage: node architecture.mjs --root REPO
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = process.argv[process.argv.indexOf('--root') + 1];
const page = 'docs/architecture.md';
const text = readFileSync(join(root, page), 'utf8');
const folders = 'framework|runtime-js|cli|templates|tests|bench|cmake|docs|examples|scripts';
const pathPattern = new RegExp(`(?<![\\w/.-])(?:${folders})/[\\w./-]*[\\w/]`, 'g');

const missing = [];
let named = 0;
text.split('\n').forEach((line, i) => {
  for (const [path] of line.matchAll(pathPattern)) {
    named += 1;
    if (!existsSync(join(root, path))) missing.push(`${page}:${i + 1}: ${path} does not exist`);
  }
});
if (named === 0) missing.push(`${page}: names no path at all (the pattern or the page is broken)`);
for (const m of missing) console.error(m);
console.log(`${page}: ${named} paths named, ${missing.length} missing`);
process.exit(missing.length ? 1 : 0);
