/** The names of the events myapp sends about windows and the app. */
export const MyappEvent: {
  readonly WINDOW_RESIZED: 'myapp://resize';
  readonly WINDOW_MOVED: 'myapp://move';
  readonly WINDOW_CLOSE_REQUESTED: 'myapp://close-requested';
  readonly WINDOW_DESTROYED: 'myapp://destroyed';
  readonly WINDOW_FOCUS: 'myapp://focus';
  readonly WINDOW_BLUR: 'myapp://blur';
  readonly WINDOW_THEME_CHANGED: 'myapp://theme-changed';
  readonly WINDOW_CREATED: 'myapp://created';
  readonly APP_READY: 'myapp://ready';
  readonly APP_EXIT_REQUESTED: 'myapp://exit-requested';
  readonly APP_LAST_WINDOW_CLOSED: 'myapp://last-window-closed';
};
/** The same as {@link MyappEvent}, under the name code written for Tauri uses. */
export const TauriEvent: typeof MyappEvent;

/** An event name: 1 to 128 characters from `A-Z a-z 0-9 - / : _`. */
export type EventName = (typeof MyappEvent)[keyof typeof MyappEvent] | (string & Record<never, never>);

/** Whom an event is for: a webview by label, or every listener (`Any`). */
export type EventTarget =
  | { kind: 'Any' }
  | { kind: 'AnyLabel'; label: string }
  | { kind: 'Window'; label: string }
  | { kind: 'Webview'; label: string }
  | { kind: 'WebviewWindow'; label: string };

/** What an event handler receives. */
export interface Event<T> {
  /** The event's name. */
  event: EventName;
  /** Unique per app run. */
  id: number;
  payload: T;
}

export type EventCallback<T> = (event: Event<T>) => void;

/** Removes the handler it was returned for; calling it again does nothing. */
export type UnlistenFn = () => void;

export interface Options {
  /**
   * Whose events to hear: this page's webview (its label, or a target object naming it) or
   * `{kind: 'Any'}` (the default). A page hears only events sent to its own webview and
   * broadcasts; naming another webview rejects with `window.not_current`.
   */
  target?: string | EventTarget;
}

/**
 * Calls `handler` for every event named `event` (1 to 128 characters from
 * `A-Z a-z 0-9 - / : _`, else rejects with code `event.invalid_name`). Rejects with
 * `acl.denied` when the page's capabilities refuse `core:event:allow-listen`.
 */
export function listen<T>(event: EventName, handler: EventCallback<T>, options?: Options): Promise<UnlistenFn>;

/** Like {@link listen}, but the handler runs for the first event only. */
export function once<T>(event: EventName, handler: EventCallback<T>, options?: Options): Promise<UnlistenFn>;

/**
 * Sends an event to the C++ listeners and to every page listening to it, this one included.
 * Resolves once it has been handed to the bridge; rejects with `acl.denied` when the page's
 * capabilities refuse it (`core:event:allow-emit`, `core:event:allow-emit-to` for emitTo).
 */
export function emit<T>(event: string, payload?: T): Promise<void>;

/**
 * Sends an event to the C++ listeners and to the pages of one webview: its label, or a target
 * object naming it (`{kind: 'Any'}` is {@link emit}).
 */
export function emitTo<T>(target: string | EventTarget, event: string, payload?: T): Promise<void>;
