// @myapp/api/window — the app's windows (the window plugin's commands, core:window:*; the
// shapes of @tauri-apps/api/window v2). Served to app pages as /__myapp/api/window.js.
import { IpcError, backend, mocked } from './internals.js';
import { invoke } from './core.js';
import { listen, once, MyappEvent } from './event.js';
import { LogicalSize, PhysicalSize, LogicalPosition, PhysicalPosition } from './dpi.js';

export { LogicalSize, PhysicalSize, LogicalPosition, PhysicalPosition };

const cmd = (name) => 'plugin:window|' + name;

// The label of this page's window.
function currentLabel() {
  const label = backend().label;
  if (typeof label !== 'string') {
    throw new IpcError('window.not_found', 'this page is not in a myapp window' +
      (mocked() ? ' (under mocks: call mockWindows(label) first)' : ''));
  }
  return label;
}

/** The event a close-requested handler receives; `preventDefault()` keeps the window open. */
export class CloseRequestedEvent {
  #prevented = false;
  constructor(ev) {
    this.event = ev.event;
    this.id = ev.id;
  }
  preventDefault() { this.#prevented = true; }
  isPreventDefault() { return this.#prevented; }
}

// Close handlers of this page's window. One listener answers for all of them, once they have
// all run (awaiting async ones): prevented if any of them prevented.
const closeHandlers = new Set();
let closeListening = null; // promise of the unlisten function
async function onCloseEvent(ev) {
  const e = new CloseRequestedEvent(ev);
  await Promise.all([...closeHandlers].map(async (h) => {
    try {
      await h(e);
    } catch (err) {
      console.error('myapp: a close-requested handler threw:', err);
    }
  }));
  const id = ev.payload && ev.payload.id;
  invoke(cmd('close_answer'), { id, prevent: e.isPreventDefault() }).catch((err) => {
    console.error('myapp: could not answer the close request:', err);
  });
}

// Local listeners for the events a page raises about a window it creates (created / error).
const local = new Map(); // label -> Map(event -> Set(handler))

function localListen(label, event, handler, isOnce) {
  let byEvent = local.get(label);
  if (!byEvent) local.set(label, (byEvent = new Map()));
  let set = byEvent.get(event);
  if (!set) byEvent.set(event, (set = new Set()));
  const rec = (ev) => {
    if (isOnce) set.delete(rec);
    handler(ev);
  };
  set.add(rec);
  return Promise.resolve(() => set.delete(rec));
}

function localEmit(label, event, payload) {
  const set = local.get(label) && local.get(label).get(event);
  if (!set) return;
  for (const h of [...set]) {
    try {
      h({ event, id: 0, payload });
    } catch (e) {
      console.error('myapp: a listener of ' + event + ' threw:', e);
    }
  }
}

// A size or position as the commands take it: logical pixels. A physical one (dpi.js) is
// converted with the window's scale factor.
async function logical(w, v, PhysicalType, keys) {
  if (!v || typeof v !== 'object') return v;
  const l = v instanceof PhysicalType ? v.toLogical(await w.scaleFactor()) : v;
  return { [keys[0]]: l[keys[0]], [keys[1]]: l[keys[1]] };
}
const logicalSize = (w, s) => logical(w, s, PhysicalSize, ['width', 'height']);
const logicalPosition = (w, p) => logical(w, p, PhysicalPosition, ['x', 'y']);

/** A window, addressed by label. Methods reject with an IpcError (`acl.denied`, `window.not_found`, ...). */
export class Window {
  /** Wraps the existing window `label` (no window is created). */
  constructor(label) {
    if (typeof label !== 'string' || label === '') {
      throw new IpcError('args.invalid', 'a window label must be a non-empty string');
    }
    this.label = label;
  }

  #call(name, args) {
    return invoke(cmd(name), Object.assign({ label: this.label }, args));
  }

  /** Listens to `event` sent to this window. Pages hear the events of their own window only. */
  listen(event, handler) { return this.#listen(event, handler, false); }
  /** Like listen(), for the first such event only. */
  once(event, handler) { return this.#listen(event, handler, true); }

  #listen(event, handler, isOnce) {
    if (event === MyappEvent.WINDOW_CREATED || event === 'myapp://error') {
      return localListen(this.label, event, handler, isOnce);
    }
    return (isOnce ? once : listen)(event, handler, { target: { kind: 'Window', label: this.label } });
  }

  // getters (core:window:default)
  title() { return this.#call('title'); }
  innerSize() { return this.#call('inner_size'); }
  outerSize() { return this.#call('outer_size'); }
  innerPosition() { return this.#call('inner_position'); }
  outerPosition() { return this.#call('outer_position'); }
  scaleFactor() { return this.#call('scale_factor'); }
  isMaximized() { return this.#call('is_maximized'); }
  isMinimized() { return this.#call('is_minimized'); }
  isFullscreen() { return this.#call('is_fullscreen'); }
  isVisible() { return this.#call('is_visible'); }
  isFocused() { return this.#call('is_focused'); }
  isResizable() { return this.#call('is_resizable'); }
  isAlwaysOnTop() { return this.#call('is_always_on_top'); }
  theme() { return this.#call('theme'); }

  // setters, each under its own core:window:allow-... permission
  setTitle(title) { return this.#call('set_title', { title }); }
  async setSize(size) { return this.#call('set_size', { size: await logicalSize(this, size) }); }
  async setMinSize(size) {
    return this.#call('set_min_size', { size: size == null ? null : await logicalSize(this, size) });
  }
  async setMaxSize(size) {
    return this.#call('set_max_size', { size: size == null ? null : await logicalSize(this, size) });
  }
  async setPosition(position) {
    return this.#call('set_position', { position: await logicalPosition(this, position) });
  }
  center() { return this.#call('center'); }
  maximize() { return this.#call('maximize'); }
  unmaximize() { return this.#call('unmaximize'); }
  async toggleMaximize() { return (await this.isMaximized()) ? this.unmaximize() : this.maximize(); }
  minimize() { return this.#call('minimize'); }
  unminimize() { return this.#call('unminimize'); }
  setFullscreen(fullscreen) { return this.#call('set_fullscreen', { fullscreen }); }
  show() { return this.#call('show'); }
  hide() { return this.#call('hide'); }
  setFocus() { return this.#call('set_focus'); }
  setAlwaysOnTop(alwaysOnTop) { return this.#call('set_always_on_top', { alwaysOnTop }); }
  setResizable(resizable) { return this.#call('set_resizable', { resizable }); }
  /** Asks to close: close-requested handlers (C++, then this window's page) may prevent it. */
  close() { return this.#call('close'); }
  /** Closes without asking. */
  destroy() { return this.#call('destroy'); }

  /**
   * Calls `handler(event)` when this window is asked to close; `event.preventDefault()` keeps it
   * open. Async handlers are awaited. A page that does not answer within the app's close timeout
   * (3 s by default) is closed anyway. Resolves with an unlisten function.
   */
  async onCloseRequested(handler) {
    if (typeof handler !== 'function') {
      throw new IpcError('args.invalid', 'onCloseRequested(): handler must be a function');
    }
    if (this.label !== currentLabel()) {
      throw new IpcError('window.not_current', 'onCloseRequested() works for the current window only');
    }
    closeHandlers.add(handler);
    if (!closeListening) {
      closeListening = listen(MyappEvent.WINDOW_CLOSE_REQUESTED, onCloseEvent);
      await closeListening;
      await invoke(cmd('close_listen'));
    } else {
      await closeListening;
    }
    return () => {
      closeHandlers.delete(handler);
      if (closeHandlers.size === 0 && closeListening) {
        const p = closeListening;
        closeListening = null;
        p.then((unlisten) => unlisten());
      }
    };
  }
  onResized(handler) { return this.listen(MyappEvent.WINDOW_RESIZED, handler); }
  onMoved(handler) { return this.listen(MyappEvent.WINDOW_MOVED, handler); }
  onThemeChanged(handler) { return this.listen(MyappEvent.WINDOW_THEME_CHANGED, handler); }
  /** `handler({payload: true})` on focus, `{payload: false}` on blur. */
  async onFocusChanged(handler) {
    const a = await this.listen(MyappEvent.WINDOW_FOCUS, (e) => handler(Object.assign({}, e, { payload: true })));
    const b = await this.listen(MyappEvent.WINDOW_BLUR, (e) => handler(Object.assign({}, e, { payload: false })));
    return () => { a(); b(); };
  }

  static getByLabel(label) { return getAllWindows().then((all) => all.find((w) => w.label === label) || null); }
  static getCurrent() { return getCurrentWindow(); }
  static getAll() { return getAllWindows(); }
}

/**
 * `new WebviewWindow(label, options)` creates a window (needs core:window:allow-create). Listen
 * with `once('myapp://created')` / `once('myapp://error')` on it to learn how it went.
 */
export class WebviewWindow extends Window {
  constructor(label, options) {
    super(label);
    const opts = options || {};
    if (opts.skip) return; // wrap an existing window, as Tauri's `skip`
    const { skip, ...rest } = opts; // eslint-disable-line no-unused-vars
    invoke(cmd('create'), { label, options: rest }).then(
      () => localEmit(label, MyappEvent.WINDOW_CREATED, { label }),
      (e) => localEmit(label, 'myapp://error', e));
  }
}

/** The window of this page. Throws a window.not_found IpcError outside a myapp window. */
export function getCurrentWindow() {
  return new WebviewWindow(currentLabel(), { skip: true });
}

/** Every live window. */
export function getAllWindows() {
  return invoke(cmd('get_all_windows')).then((labels) => labels.map((l) => new WebviewWindow(l, { skip: true })));
}
