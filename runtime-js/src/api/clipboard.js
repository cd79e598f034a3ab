// @myapp/api/clipboard — the system clipboard's text (the `clipboard` plugin). Permissions:
// core:clipboard:allow-read-text, -write-text, -clear.
import { invoke } from './core.js';

/** Resolves with the clipboard's text, or null when it holds no text. */
export function readText() {
  return invoke('plugin:clipboard|read_text');
}

/** Puts `text` on the clipboard. */
export async function writeText(text) {
  await invoke('plugin:clipboard|write_text', { text: String(text) });
}

/** Empties the clipboard. */
export async function clear() {
  await invoke('plugin:clipboard|clear');
}
