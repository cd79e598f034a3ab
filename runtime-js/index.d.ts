/** Options for a single {@link invoke} call. */
export interface InvokeOptions {
  /**
   * Sent on the wire as `"headers"`; every value must be a string. The handler reads them with
   * `request.header(name)`, names compared without regard to case.
   */
  headers?: Headers | Record<string, string>;
  /**
   * Aborting it rejects the call at once with an {@link IpcError} of code `cancelled` and tells
   * the C++ side, whose handler sees its cancellation token set.
   */
  signal?: AbortSignal;
}

/** What {@link ready} resolves with once the handshake is complete. */
export interface ReadyInfo {
  /** The label of the webview this page lives in, e.g. `"main"`. */
  label: string;
  /** The wire protocol version the C++ side speaks. */
  version: number;
}

/**
 * The error every framework failure rejects with. `code` is stable and machine-readable
 * (`command.not_found`, `args.invalid`, `cancelled`, `event.invalid_name`,
 * `bridge.unavailable`, or an application code from `myapp::error`); `message` is for people.
 * A command failing with an error value (`myapp::reject`, `result<T, E>`) rejects with that
 * value itself instead: tell them apart with `e instanceof IpcError`.
 */
export class IpcError extends Error {
  constructor(code: string, message: string, data?: unknown);
  readonly code: string;
  readonly data?: unknown;
}

/**
 * What `invoke` sends: JSON arguments, or a raw body (the handler's `request.body()`).
 */
export type InvokeArgs = Record<string, unknown> | ArrayBuffer | ArrayBufferView;

/**
 * Calls the C++ command `cmd` with `args`. Resolves with the command's result; rejects with an
 * {@link IpcError}, or with the command's error value. Calls made in the same microtask
 * travel in one batch.
 */
export function invoke<T = unknown>(
  cmd: string,
  args?: InvokeArgs,
  options?: InvokeOptions,
): Promise<T>;

/** Resolves once the C++ side has answered the handshake; rejects outside a myapp webview. */
export const ready: Promise<ReadyInfo>;

/** What an event handler receives. */
export interface Event<T> {
  /** The event's name. */
  event: string;
  /** Unique per app run. */
  id: number;
  payload: T;
}

export type EventCallback<T> = (event: Event<T>) => void;

/** Removes the handler it was returned for; calling it again does nothing. */
export type UnlistenFn = () => void;

/**
 * Calls `handler` for every event named `event` (1 to 128 characters from
 * `A-Z a-z 0-9 - / : _`, else rejects with code `event.invalid_name`). Rejects with
 * `acl.denied` when the page's capabilities refuse `core:event:allow-listen`.
 */
export function listen<T>(event: string, handler: EventCallback<T>): Promise<UnlistenFn>;

/** Like {@link listen}, but the handler runs for the first event only. */
export function once<T>(event: string, handler: EventCallback<T>): Promise<UnlistenFn>;

/**
 * Sends an event to the C++ listeners and to every page listening to it, this one included.
 * Resolves once it has been handed to the bridge; rejects with `acl.denied` when the page's
 * capabilities refuse it (`core:event:allow-emit`, `core:event:allow-emit-to` for emitTo).
 */
export function emit(event: string, payload?: unknown): Promise<void>;

/** Sends an event to the C++ listeners and to the pages of the webview labelled `target`. */
export function emitTo(target: string, event: string, payload?: unknown): Promise<void>;

/**
 * A stream of frames from a C++ command. Pass it (anywhere) inside an invoke's `args`; it is
 * written as `{"$channel": id}`. Frames arrive in order; the C++ producer waits while 512
 * frames are unconsumed, a frame counting as consumed when `onmessage` returns or, if it
 * returns a promise, when that promise settles.
 */
export class Channel<T = unknown> {
  constructor(onmessage?: (data: T) => void | Promise<void>);
  /** Positive, unique per page load. */
  readonly id: number;
  onmessage: ((data: T) => void | Promise<void>) | null;
  /** Called once, after the last frame has been delivered. */
  onclose: (() => void) | null;
  /** Resolves when the channel has closed. */
  readonly closed: Promise<void>;
  toJSON(): { $channel: number };
}

/** The desktop plugins' wrappers (docs/desktop.md); also `@myapp/api/dialog`, ... */
export * as dialog from './src/dialog.js';
export * as clipboard from './src/clipboard.js';
export * as opener from './src/opener.js';
export * as tray from './src/tray.js';
export * as menu from './src/menu.js';

/** The object the myapp webview injects into every page as `window.__MYAPP__`. */
export interface MyAppApi {
  /** The wire protocol version this client speaks. */
  readonly version: 1;
  readonly invoke: typeof invoke;
  readonly ready: Promise<ReadyInfo>;
  readonly IpcError: typeof IpcError;
  readonly listen: typeof listen;
  readonly once: typeof once;
  readonly emit: typeof emit;
  readonly emitTo: typeof emitTo;
  readonly Channel: typeof Channel;
  /**
   * Opens Chromium's devtools for this window. Works in dev mode only (`myapp dev`, or
   * MYAPP_DEVTOOLS=1); otherwise rejects with code `devtools.disabled`. Needs
   * `core:devtools:default` (in `core:default`).
   */
  readonly openDevtools: () => Promise<void>;
}

declare global {
  interface Window {
    /** Present in every page of a myapp webview; absent elsewhere. */
    readonly __MYAPP__: MyAppApi;
  }
}

// --- windows (core window plugin; docs/windows.md) -----------------------------------------

export interface LogicalSize { width: number; height: number; }
export interface LogicalPosition { x: number; y: number; }
export type Theme = 'light' | 'dark';

/** The event a close-requested handler receives. */
export interface CloseRequestedEvent {
  readonly event: string;
  readonly id: number;
  /** Keeps the window open. */
  preventDefault(): void;
  isPreventDefault(): boolean;
}

/** Options of `new WebviewWindow(label, options)`. */
export interface WindowOptions {
  /** An app path ("settings.html") or a URL a capability's `remote.urls` names. */
  url?: string;
  title?: string;
  width?: number;
  height?: number;
  x?: number;
  y?: number;
  center?: boolean;
  minWidth?: number;
  minHeight?: number;
  maxWidth?: number;
  maxHeight?: number;
  resizable?: boolean;
  visible?: boolean;
  maximized?: boolean;
  fullscreen?: boolean;
  alwaysOnTop?: boolean;
  focus?: boolean;
  /** Wrap an existing window instead of creating one. */
  skip?: boolean;
}

/** A window, addressed by label. Methods reject with an IpcError (`acl.denied`, `window.not_found`, ...). */
export class Window {
  constructor(label: string);
  readonly label: string;
  listen<T>(event: string, handler: (event: Event<T>) => void): Promise<UnlistenFn>;
  once<T>(event: string, handler: (event: Event<T>) => void): Promise<UnlistenFn>;
  // getters, then actions that take nothing, then setters
  title(): Promise<string>;
  innerSize(): Promise<LogicalSize>;
  outerSize(): Promise<LogicalSize>;
  innerPosition(): Promise<LogicalPosition>;
  outerPosition(): Promise<LogicalPosition>;
  scaleFactor(): Promise<number>;
  isMaximized(): Promise<boolean>;
  isMinimized(): Promise<boolean>;
  isFullscreen(): Promise<boolean>;
  isVisible(): Promise<boolean>;
  isFocused(): Promise<boolean>;
  isResizable(): Promise<boolean>;
  isAlwaysOnTop(): Promise<boolean>;
  theme(): Promise<Theme>;
  center(): Promise<void>;
  maximize(): Promise<void>;
  unmaximize(): Promise<void>;
  toggleMaximize(): Promise<void>;
  minimize(): Promise<void>;
  unminimize(): Promise<void>;
  show(): Promise<void>;
  hide(): Promise<void>;
  setFocus(): Promise<void>;
  setTitle(title: string): Promise<void>;
  setSize(size: LogicalSize): Promise<void>;
  setMinSize(size: LogicalSize | null): Promise<void>;
  setMaxSize(size: LogicalSize | null): Promise<void>;
  setPosition(position: LogicalPosition): Promise<void>;
  setFullscreen(fullscreen: boolean): Promise<void>;
  setAlwaysOnTop(alwaysOnTop: boolean): Promise<void>;
  setResizable(resizable: boolean): Promise<void>;
  /** Asks to close; close-requested handlers may prevent it. */
  close(): Promise<void>;
  /** Closes without asking. */
  destroy(): Promise<void>;
  /** The current window only. Async handlers are awaited; a page that does not answer within 3 s is closed anyway. */
  onCloseRequested(handler: (event: CloseRequestedEvent) => void | Promise<void>): Promise<UnlistenFn>;
  onResized(handler: (event: Event<LogicalSize>) => void): Promise<UnlistenFn>;
  onMoved(handler: (event: Event<LogicalPosition>) => void): Promise<UnlistenFn>;
  onFocusChanged(handler: (event: Event<boolean>) => void): Promise<UnlistenFn>;
  onThemeChanged(handler: (event: Event<Theme>) => void): Promise<UnlistenFn>;
  static getByLabel(label: string): Promise<WebviewWindow | null>;
  static getCurrent(): WebviewWindow;
  static getAll(): Promise<WebviewWindow[]>;
}

/** Creates a window (unless `options.skip`); listen for `myapp://created` / `myapp://error` on it. */
export class WebviewWindow extends Window {
  constructor(label: string, options?: WindowOptions);
}

export function getCurrentWindow(): WebviewWindow;
export function getCurrentWebviewWindow(): WebviewWindow;
export function getAllWindows(): Promise<WebviewWindow[]>;
