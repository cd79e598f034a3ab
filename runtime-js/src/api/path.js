// @myapp/api/path — the app's folders (the path plugin, core:path:default) and path arithmetic
// on POSIX paths (the shapes of @tauri-apps/api/path). Served to app pages as
// /__myapp/api/path.js.
import { IpcError } from './internals.js';
import { invoke } from './core.js';

const appDir = (key) => invoke('plugin:path|app_dirs').then((dirs) => dirs[key]);

/** The app's data folder ($XDG_DATA_HOME/<identifier>). */
export function appDataDir() { return appDir('data'); }
/** The same as {@link appDataDir} on Linux. */
export function appLocalDataDir() { return appDir('data'); }
/** The app's config folder ($XDG_CONFIG_HOME/<identifier>). */
export function appConfigDir() { return appDir('config'); }
/** The app's cache folder ($XDG_CACHE_HOME/<identifier>). */
export function appCacheDir() { return appDir('cache'); }
/** The app's log folder. */
export function appLogDir() { return appDir('log'); }
/** The app's state folder ($XDG_STATE_HOME/<identifier>). */
export function appStateDir() { return appDir('state'); }

/** The path separator: `/`. */
export function sep() { return '/'; }
/** The separator of paths in a list: `:`. */
export function delimiter() { return ':'; }

function text(where, v) {
  if (typeof v !== 'string') throw new IpcError('args.invalid', where + ': expected a path string, got ' + typeof v);
  return v;
}

// `p` with `.`, `..` and repeated slashes resolved, as the path module of Node does it.
function normalized(p) {
  if (p === '') return '.';
  const absolute = p.startsWith('/');
  const out = [];
  for (const s of p.split('/')) {
    if (s === '' || s === '.') continue;
    if (s !== '..') out.push(s);
    else if (out.length > 0 && out[out.length - 1] !== '..') out.pop();
    else if (!absolute) out.push('..');
  }
  let rest = out.join('/');
  if (rest !== '' && p.endsWith('/')) rest += '/';
  return absolute ? '/' + rest : rest || '.';
}

// Runs `f` and hands its value back as a promise, as the path functions of Tauri answer.
const later = (f) => new Promise((resolve) => resolve(f()));

/** `p` with `.`, `..` and repeated separators resolved. */
export function normalize(p) { return later(() => normalized(text('normalize()', p))); }

/** The paths joined with `/`, normalized. */
export function join(...paths) {
  return later(() => normalized(paths.map((p) => text('join()', p)).filter((p) => p !== '').join('/')));
}

/** The folder part of `p`. */
export function dirname(p) {
  return later(() => {
    const s = text('dirname()', p).replace(/\/+$/, '');
    if (s === '') return p.startsWith('/') ? '/' : '.';
    const i = s.lastIndexOf('/');
    if (i < 0) return '.';
    return i === 0 ? '/' : s.slice(0, i).replace(/\/+$/, '') || '/';
  });
}

/** The last part of `p`, without `ext` when it ends with it. */
export function basename(p, ext) {
  return later(() => {
    const s = text('basename()', p).replace(/\/+$/, '');
    const base = s.slice(s.lastIndexOf('/') + 1);
    return ext !== undefined && base !== ext && base.endsWith(text('basename()', ext)) ? base.slice(0, -ext.length) : base;
  });
}

/** The extension of `p`, without its dot; rejects when it has none. */
export function extname(p) {
  return later(() => {
    const base = text('extname()', p).replace(/\/+$/, '').split('/').pop();
    const dot = base.lastIndexOf('.');
    if (dot <= 0 || dot === base.length - 1) {
      throw new IpcError('path.invalid', 'extname(): ' + JSON.stringify(p) + ' has no extension');
    }
    return base.slice(dot + 1);
  });
}

/** True when `p` starts at the root. */
export function isAbsolute(p) { return later(() => text('isAbsolute()', p).startsWith('/')); }
