// @myapp/api/opener — hands URLs and files to the desktop (the `opener` plugin), within the
// scopes the page's capability grants: core:opener:allow-open-url with `{"url": pattern}`
// entries, core:opener:allow-open-path with `{"path": glob}` entries.
import { invoke } from './core.js';

/** Opens `url` (a string or a URL) with the desktop's default application. */
export async function openUrl(url) {
  await invoke('plugin:opener|open_url', { url: String(url) });
}

/** Opens the file or folder at the absolute `path` with the desktop's default application. */
export async function openPath(path) {
  await invoke('plugin:opener|open_path', { path });
}
