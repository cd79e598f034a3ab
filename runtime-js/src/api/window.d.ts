import type { Event, EventName, UnlistenFn } from './event.js';
import { LogicalSize, PhysicalSize, LogicalPosition, PhysicalPosition } from './dpi.js';

export { LogicalSize, PhysicalSize, LogicalPosition, PhysicalPosition };

export type Theme = 'light' | 'dark';
/** A size in logical pixels: a {@link LogicalSize}, or any `{width, height}`. */
export type Size = LogicalSize | PhysicalSize | { width: number; height: number };
/** A position in logical pixels: a {@link LogicalPosition}, or any `{x, y}`. */
export type Position = LogicalPosition | PhysicalPosition | { x: number; y: number };

/** The event a close-requested handler receives. */
export class CloseRequestedEvent {
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
  /** Events sent to this window; a page hears those of its own window only (else `window.not_current`). */
  listen<T>(event: EventName, handler: (event: Event<T>) => void): Promise<UnlistenFn>;
  once<T>(event: EventName, handler: (event: Event<T>) => void): Promise<UnlistenFn>;
  // getters, then actions that take nothing, then setters
  title(): Promise<string>;
  innerSize(): Promise<{ width: number; height: number }>;
  outerSize(): Promise<{ width: number; height: number }>;
  innerPosition(): Promise<{ x: number; y: number }>;
  outerPosition(): Promise<{ x: number; y: number }>;
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
  /** A physical size is converted with the window's scale factor. */
  setSize(size: Size): Promise<void>;
  setMinSize(size: Size | null): Promise<void>;
  setMaxSize(size: Size | null): Promise<void>;
  setPosition(position: Position): Promise<void>;
  setFullscreen(fullscreen: boolean): Promise<void>;
  setAlwaysOnTop(alwaysOnTop: boolean): Promise<void>;
  setResizable(resizable: boolean): Promise<void>;
  /** Asks to close; close-requested handlers may prevent it. */
  close(): Promise<void>;
  /** Closes without asking. */
  destroy(): Promise<void>;
  /** The current window only. Async handlers are awaited; a page that does not answer within 3 s is closed anyway. */
  onCloseRequested(handler: (event: CloseRequestedEvent) => void | Promise<void>): Promise<UnlistenFn>;
  onResized(handler: (event: Event<{ width: number; height: number }>) => void): Promise<UnlistenFn>;
  onMoved(handler: (event: Event<{ x: number; y: number }>) => void): Promise<UnlistenFn>;
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

/** The window of this page; throws `window.not_found` outside a myapp window. */
export function getCurrentWindow(): WebviewWindow;
/** Every live window. */
export function getAllWindows(): Promise<WebviewWindow[]>;
