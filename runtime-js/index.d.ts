/** Options for a single {@link invoke} call. */
export interface InvokeOptions {
  /** Sent on the wire as `"headers"`; every value must be a string. */
  headers?: Record<string, string>;
}

/** What {@link ready} resolves with once the handshake is complete. */
export interface ReadyInfo {
  /** The label of the webview this page lives in, e.g. `"main"`. */
  label: string;
  /** The wire protocol version the C++ side speaks. */
  version: number;
}

/**
 * The error every failed call rejects with. `code` is stable and machine-readable
 * (`command.not_found`, `args.invalid`, `bridge.unavailable`, or an application code);
 * `message` is for people.
 */
export class IpcError extends Error {
  constructor(code: string, message: string, data?: unknown);
  readonly code: string;
  readonly data?: unknown;
}

/**
 * Calls the C++ command `cmd` with `args`. Resolves with the command's result and rejects
 * with an {@link IpcError}. Calls made in the same microtask travel in one batch.
 */
export function invoke<T = unknown>(
  cmd: string,
  args?: Record<string, unknown>,
  options?: InvokeOptions,
): Promise<T>;

/** Resolves once the C++ side has answered the handshake; rejects outside a myapp webview. */
export const ready: Promise<ReadyInfo>;

/** The object the myapp webview injects into every page as `window.__MYAPP__`. */
export interface MyAppApi {
  /** The wire protocol version this client speaks. */
  readonly version: 1;
  readonly invoke: typeof invoke;
  readonly ready: Promise<ReadyInfo>;
  readonly IpcError: typeof IpcError;
}

declare global {
  interface Window {
    /** Present in every page of a myapp webview; absent elsewhere. */
    readonly __MYAPP__: MyAppApi;
  }
}
