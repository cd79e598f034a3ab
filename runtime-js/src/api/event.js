// @myapp/api/event — events between pages and C++: listen(), once(), emit(), emitTo() (the
// shapes of @tauri-apps/api/event). Served to app pages as /__myapp/api/event.js.
import { IpcError, backend, forward } from './internals.js';

/** The names of the events myapp sends about windows and the app. */
export const MyappEvent = Object.freeze({
  WINDOW_RESIZED: 'myapp://resize',
  WINDOW_MOVED: 'myapp://move',
  WINDOW_CLOSE_REQUESTED: 'myapp://close-requested',
  WINDOW_DESTROYED: 'myapp://destroyed',
  WINDOW_FOCUS: 'myapp://focus',
  WINDOW_BLUR: 'myapp://blur',
  WINDOW_THEME_CHANGED: 'myapp://theme-changed',
  WINDOW_CREATED: 'myapp://created',
  APP_READY: 'myapp://ready',
  APP_EXIT_REQUESTED: 'myapp://exit-requested',
  APP_LAST_WINDOW_CLOSED: 'myapp://last-window-closed',
});

/** The same as {@link MyappEvent}, under the name code written for Tauri uses. */
export const TauriEvent = MyappEvent;

const LABEL_KINDS = ['AnyLabel', 'Window', 'Webview', 'WebviewWindow'];

// The webview label a target names: a label, or {kind, label} with a kind naming one webview;
// null for {kind: 'Any'}. Throws args.invalid for anything else.
function targetLabel(where, target) {
  if (typeof target === 'string' && target !== '') return target;
  if (target !== null && typeof target === 'object') {
    if (target.kind === 'Any') return null;
    if (LABEL_KINDS.includes(target.kind) && typeof target.label === 'string' && target.label !== '') {
      return target.label;
    }
  }
  throw new IpcError('args.invalid', where + ': the target must be a webview label or ' +
    '{kind: "Any"} or {kind: "AnyLabel" | "Window" | "Webview" | "WebviewWindow", label}, got ' +
    JSON.stringify(target) + (target && target.kind === 'App'
      ? ' (myapp has no C++-only target: emit() reaches C++ listeners and every page)' : ''));
}

// listen() and once() with Tauri's `options.target`: a page hears the events sent to its own
// webview and broadcasts, so a target may name this webview or Any only.
function addListener(where, op, event, handler, options) {
  try {
    if (options !== undefined && options !== null) {
      if (typeof options !== 'object') throw new IpcError('args.invalid', where + ': options must be an object');
      if (options.target !== undefined) {
        const label = targetLabel(where, options.target);
        const own = backend().label;
        if (label !== null && label !== own) {
          throw new IpcError('window.not_current', where + ': a page hears the events sent to its own webview (`' +
            own + '`) and broadcasts, not those sent to `' + label + '`');
        }
      }
    }
    return backend()[op](event, handler);
  } catch (e) {
    return Promise.reject(e);
  }
}

/**
 * Calls `handler({event, id, payload})` for every event named `event` that reaches this page;
 * resolves with a function that removes it. `options.target` may name this webview (or Any).
 */
export function listen(event, handler, options) {
  return addListener('listen()', 'listen', event, handler, options);
}

/** Like {@link listen}, for the first such event only. */
export function once(event, handler, options) {
  return addListener('once()', 'once', event, handler, options);
}

/** Sends an event to C++ listeners and to every page listening to it, this one included. */
export const emit = forward('emit');

/**
 * Sends an event to C++ listeners and to the pages of one webview: `target` is its label, or a
 * target object (`{kind: 'WebviewWindow', label}`, ...; `{kind: 'Any'}` is {@link emit}).
 */
export function emitTo(target, event, payload) {
  try {
    const label = targetLabel('emitTo()', target);
    return label === null ? backend().emit(event, payload) : backend().emitTo(label, event, payload);
  } catch (e) {
    return Promise.reject(e);
  }
}
