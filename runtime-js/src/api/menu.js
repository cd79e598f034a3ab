// @myapp/api/menu — the menu bar of this page's window (the `menu` plugin). Permissions:
// core:menu:allow-set, core:menu:allow-remove; clicks need core:event:allow-listen.
import { invoke } from './core.js';
import { listen } from './event.js';

/**
 * Sets this window's menu bar. Entries: `{id, text, shortcut?, enabled?, checkable?,
 * checked?}`, `{text, items: [...]}` for a submenu, `{separator: true}`.
 */
export async function setMenu(items) {
  await invoke('plugin:menu|set', { items });
}

/** Removes this window's menu bar. */
export async function removeMenu() {
  await invoke('plugin:menu|remove');
}

/** Calls `handler({id, source, checked?})` for every click; resolves with an unlisten function. */
export function onMenuClick(handler) {
  return listen('menu:click', (e) => handler(e.payload));
}
