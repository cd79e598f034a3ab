/** Rejects with `opener.denied` when the URL is outside the page's `{"url"}` scope. */
export function openUrl(url: string | URL): Promise<void>;
/** `path` is absolute; it is resolved (symlinks, `..`) before the `{"path"}` scope is applied. */
export function openPath(path: string): Promise<void>;
