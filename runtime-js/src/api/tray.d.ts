import type { MenuClick, MenuItem } from './menu.js';

export interface TrayIconOptions {
  id?: string;
  tooltip?: string;
  /** A path inside the app's frontend, e.g. `"icons/tray.png"`. */
  icon?: string;
  menu?: MenuItem[];
}

export interface TrayClick {
  id: string;
  reason: 'click' | 'double-click' | 'middle-click' | 'context';
}

export class TrayIcon {
  readonly id: string;
  /** Rejects with code `tray.unavailable` where the desktop has no system tray. */
  static new(options?: TrayIconOptions): Promise<TrayIcon>;
  setMenu(menu: MenuItem[] | null): Promise<void>;
  setTooltip(tooltip: string): Promise<void>;
  remove(): Promise<void>;
  onClick(handler: (click: TrayClick) => void): Promise<() => void>;
  onMenu(handler: (click: MenuClick) => void): Promise<() => void>;
}
