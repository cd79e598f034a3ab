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

/**
 * The arguments of a command: a plain object, its keys the handler's parameter names; or bytes,
 * a raw body the handler reads with `request.body()`.
 */
export type InvokeArgs = Record<string, unknown> | ArrayBuffer | ArrayBufferView;

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
 * `bridge.unavailable`, `isolation.refused`, or an application code from `myapp::error`);
 * `message` is for people. A command failing with an error value (`myapp::reject`,
 * `result<T, E>`) rejects with that value itself instead: tell them apart with
 * `e instanceof IpcError`.
 */
export class IpcError extends Error {
  constructor(code: string, message: string, data?: unknown);
  readonly code: string;
  readonly data?: unknown;
}

/**
 * Calls the C++ command `cmd` with `args`. Resolves with the command's result; rejects with an
 * {@link IpcError}, or with the command's error value. Calls made in the same microtask
 * travel in one batch.
 */
export function invoke<T = unknown>(cmd: string, args?: InvokeArgs, options?: InvokeOptions): Promise<T>;

/** Resolves once the C++ side has answered the handshake; rejects outside a myapp webview. */
export const ready: Promise<ReadyInfo>;

/** True in a page of a myapp webview. */
export function isMyapp(): boolean;
/** The same as {@link isMyapp}, under the name code written for Tauri uses. */
export function isTauri(): boolean;

/**
 * A stream of frames from a C++ command. Pass it (anywhere) inside an invoke's `args`; it is
 * written as `{"$channel": id}`. Frames arrive in order; the C++ producer waits while 512
 * frames are unconsumed, a frame counting as consumed when `onmessage` returns or, if it
 * returns a promise, when that promise settles.
 */
export class Channel<T = unknown> {
  /** `onmessage` may return a promise: the frame counts as consumed once it settles. */
  constructor(onmessage?: (data: T) => unknown);
  /** Positive, unique per page load. */
  readonly id: number;
  onmessage: ((data: T) => unknown) | null;
  /** Called once, after the last frame has been delivered. */
  onclose: (() => void) | null;
  /** Resolves when the channel has closed. */
  readonly closed: Promise<void>;
  toJSON(): { $channel: number };
}

/** The object the myapp webview injects into every page as `window.__MYAPP__`. */
export interface MyAppApi {
  /** The wire protocol version this client speaks. */
  readonly version: 1;
  /** The label of this page's window. */
  readonly label: string;
  readonly invoke: typeof invoke;
  readonly ready: Promise<ReadyInfo>;
  readonly IpcError: typeof IpcError;
  readonly listen: <T>(event: string, handler: import('./event.js').EventCallback<T>) => Promise<import('./event.js').UnlistenFn>;
  readonly once: <T>(event: string, handler: import('./event.js').EventCallback<T>) => Promise<import('./event.js').UnlistenFn>;
  readonly emit: (event: string, payload?: unknown) => Promise<void>;
  /** Sends an event to the C++ listeners and to the pages of the webview labelled `target`. */
  readonly emitTo: (target: string, event: string, payload?: unknown) => Promise<void>;
  readonly Channel: typeof Channel;
  /**
   * Opens Chromium's devtools for this window. Works in dev mode only (`myapp dev`, or
   * MYAPP_DEVTOOLS=1); otherwise rejects with code `devtools.disabled`. Needs
   * `core:devtools:default` (in `core:default`).
   */
  readonly openDevtools: () => Promise<void>;
  // The modules of @myapp/api, present unless myapp.conf.json sets `app.withGlobalMyapp` to false.
  readonly core?: typeof import('./core.js');
  readonly event?: typeof import('./event.js');
  readonly window?: typeof import('./window.js');
  readonly webviewWindow?: typeof import('./webviewWindow.js');
  readonly dpi?: typeof import('./dpi.js');
  readonly path?: typeof import('./path.js');
  readonly dialog?: typeof import('./dialog.js');
  readonly clipboard?: typeof import('./clipboard.js');
  readonly opener?: typeof import('./opener.js');
  readonly tray?: typeof import('./tray.js');
  readonly menu?: typeof import('./menu.js');
}

/**
 * A message a page sends, as the app's isolation hook sees it (docs/security.md): what the hook
 * returns (this object, changed or not, or another of the same kind) is what C++ gets.
 */
export type IsolationMessage =
  | { kind: 'invoke'; cmd: string; args: Record<string, unknown>; headers?: Record<string, string> }
  | { kind: 'emit'; event: string; payload?: unknown; target?: string }
  | { kind: 'listen' | 'unlisten'; event: string }
  | { kind: 'cancel'; id: number }
  | { kind: 'credit'; channel: number; n: number };

/** What a hook may answer: the message to send, or a refusal (a falsy value or an Error). */
export type IsolationVerdict = IsolationMessage | Error | null | undefined | false;

/**
 * The isolation hook, `__MYAPP_ISOLATION_HOOK__`, defined by the script that myapp.conf.json's
 * `app.security.isolation` names. Throwing refuses the message too.
 */
export type IsolationHook = (message: IsolationMessage) => IsolationVerdict | Promise<IsolationVerdict>;

declare global {
  interface Window {
    /** Present in every page of a myapp webview; absent elsewhere. */
    readonly __MYAPP__: MyAppApi;
  }
  /** Defined by the isolation script, in the isolation world only. */
  // eslint-disable-next-line no-var
  var __MYAPP_ISOLATION_HOOK__: IsolationHook | undefined;
}
