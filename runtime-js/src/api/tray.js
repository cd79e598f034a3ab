// @myapp/api/tray — icons in the system tray (the `tray` plugin). Permissions:
// core:tray:allow-create, -set-menu, -set-tooltip, -remove; the events need
// core:event:allow-listen.
import { invoke } from './core.js';
import { listen } from './event.js';

/** A tray icon created by {@link TrayIcon.new}. */
export class TrayIcon {
  constructor(id) {
    this.id = id;
  }

  /**
   * Creates a tray icon: `{id?, tooltip?, icon?, menu?}`, `icon` being a path inside the app's
   * frontend. Rejects with code `tray.unavailable` where the desktop has no system tray.
   */
  static async new(options = {}) {
    const spec = {};
    for (const k of ['id', 'tooltip', 'icon', 'menu']) if (options[k] !== undefined) spec[k] = options[k];
    return new TrayIcon(await invoke('plugin:tray|create', spec));
  }

  /** Replaces the icon's menu; null removes it. */
  async setMenu(menu) {
    await invoke('plugin:tray|set_menu', { id: this.id, menu: menu ?? null });
  }

  async setTooltip(tooltip) {
    await invoke('plugin:tray|set_tooltip', { id: this.id, tooltip: String(tooltip) });
  }

  /** Removes the icon from the tray. */
  async remove() {
    await invoke('plugin:tray|remove', { id: this.id });
  }

  /** Calls `handler({id, reason})` when this icon is clicked; resolves with an unlisten function. */
  onClick(handler) {
    return listen('tray:click', (e) => { if (e.payload.id === this.id) handler(e.payload); });
  }

  /** Calls `handler({id, source, checked?})` when an entry of this icon's menu is chosen. */
  onMenu(handler) {
    return listen('tray:menu', (e) => { if (e.payload.source === this.id) handler(e.payload); });
  }
}
