/** A file type offered by a file dialog. */
export interface DialogFilter {
  name: string;
  /** Without the dot (`"png"`, `"tar.gz"`), or `"*"`. */
  extensions: string[];
}

export interface OpenDialogOptions {
  title?: string;
  /** A folder to start in, or a file to preselect. */
  defaultPath?: string;
  filters?: DialogFilter[];
  /** Pick several files; resolves with an array. */
  multiple?: boolean;
  /** Pick a folder. */
  directory?: boolean;
}

export interface SaveDialogOptions {
  title?: string;
  defaultPath?: string;
  filters?: DialogFilter[];
}

export interface MessageDialogOptions {
  title?: string;
  kind?: 'info' | 'warning' | 'error';
  okLabel?: string;
  cancelLabel?: string;
}

/** Resolves with the chosen path, or null when cancelled. */
export function open(options?: OpenDialogOptions & { multiple?: false }): Promise<string | null>;
/** Resolves with the chosen paths, or null when cancelled. */
export function open(options: OpenDialogOptions & { multiple: true }): Promise<string[] | null>;
export function save(options?: SaveDialogOptions): Promise<string | null>;
/** `options` may be the title alone. */
export function message(text: string, options?: string | MessageDialogOptions): Promise<void>;
export function ask(text: string, options?: string | MessageDialogOptions): Promise<boolean>;
export function confirm(text: string, options?: string | MessageDialogOptions): Promise<boolean>;
