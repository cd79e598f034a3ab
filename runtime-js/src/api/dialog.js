// @myapp/api/dialog — file dialogs and message boxes (the `dialog` plugin). Each function needs
// its permission in the page's capability: core:dialog:allow-open, -save, -message, -ask,
// -confirm.
import { invoke } from './core.js';

const fileOptions = (o, keys) => {
  const args = {};
  for (const k of keys) if (o[k] !== undefined) args[k] = o[k];
  return args;
};

/**
 * Lets the user pick a file, several files (`multiple`) or a folder (`directory`). Resolves
 * with the path, an array of paths when `multiple`, or null when the dialog was cancelled.
 */
export async function open(options = {}) {
  const paths = await invoke('plugin:dialog|open',
    fileOptions(options, ['title', 'defaultPath', 'filters', 'multiple', 'directory']));
  if (paths === null) return null;
  return options.multiple ? paths : paths[0];
}

/** Lets the user choose where to save. Resolves with the path, or null when cancelled. */
export function save(options = {}) {
  return invoke('plugin:dialog|save', fileOptions(options, ['title', 'defaultPath', 'filters']));
}

// `options` may be the title alone, as in Tauri.
const boxArgs = (message, options) => {
  const o = typeof options === 'string' ? { title: options } : (options ?? {});
  return { message, ...fileOptions(o, ['title', 'kind', 'okLabel', 'cancelLabel']) };
};

/** Shows a message; resolves once it is closed. */
export async function message(text, options) {
  await invoke('plugin:dialog|message', boxArgs(text, options));
}

/** Asks a Yes/No question; resolves with true for Yes. */
export function ask(text, options) {
  return invoke('plugin:dialog|ask', boxArgs(text, options));
}

/** Asks for an Ok/Cancel confirmation; resolves with true for Ok. */
export function confirm(text, options) {
  return invoke('plugin:dialog|confirm', boxArgs(text, options));
}
