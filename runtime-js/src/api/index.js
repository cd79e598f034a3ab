// @myapp/api — every module of the package, as namespaces (`core`, `event`, `window`, ...,
// as @tauri-apps/api's index), and the names of `core`, `event` and `window` directly, for code
// that imports them from the package's root. Served to app pages as /__myapp/api/index.js.
export { IpcError, invoke, ready, Channel, isMyapp } from './core.js';
export { listen, once, emit, emitTo, MyappEvent } from './event.js';
export { Window, WebviewWindow, getCurrentWindow, getAllWindows } from './window.js';
export { getCurrentWebviewWindow } from './webviewWindow.js';

export * as core from './core.js';
export * as event from './event.js';
export * as window from './window.js';
export * as webviewWindow from './webviewWindow.js';
export * as dpi from './dpi.js';
export * as path from './path.js';
export * as mocks from './mocks.js';
// The desktop plugins' wrappers; each also has its own entry (`@myapp/api/dialog`, ...).
export * as dialog from './dialog.js';
export * as clipboard from './clipboard.js';
export * as opener from './opener.js';
export * as tray from './tray.js';
export * as menu from './menu.js';
