export { IpcError, invoke, ready, Channel, isMyapp } from './core.js';
export type { InvokeArgs, InvokeOptions, ReadyInfo, MyAppApi, IsolationMessage, IsolationVerdict, IsolationHook } from './core.js';
export { listen, once, emit, emitTo, MyappEvent } from './event.js';
export type { Event, EventCallback, EventName, EventTarget, UnlistenFn, Options } from './event.js';
export { Window, WebviewWindow, getCurrentWindow, getAllWindows } from './window.js';
export type { WindowOptions, Theme, CloseRequestedEvent } from './window.js';
export { getCurrentWebviewWindow } from './webviewWindow.js';

export * as core from './core.js';
export * as event from './event.js';
export * as window from './window.js';
export * as webviewWindow from './webviewWindow.js';
export * as dpi from './dpi.js';
export * as path from './path.js';
export * as mocks from './mocks.js';
/** The desktop plugins' wrappers (docs/desktop.md); also `@myapp/api/dialog`, ... */
export * as dialog from './dialog.js';
export * as clipboard from './clipboard.js';
export * as opener from './opener.js';
export * as tray from './tray.js';
export * as menu from './menu.js';
