/** An entry of a menu bar, a submenu or a tray menu. */
export type MenuItem =
  | { separator: true }
  | { text: string; items: MenuItem[]; id?: string; enabled?: boolean }
  | {
      id: string;
      text: string;
      /** Qt's portable form: `"Ctrl+S"`. */
      shortcut?: string;
      enabled?: boolean;
      checkable?: boolean;
      checked?: boolean;
    };

/** What a click on a menu or tray entry delivers. */
export interface MenuClick {
  /** The entry's id. */
  id: string;
  /** The window's label (menu bars) or the tray icon's id (tray menus). */
  source: string;
  /** The new state of a checkable entry. */
  checked?: boolean;
}

export function setMenu(items: MenuItem[]): Promise<void>;
export function removeMenu(): Promise<void>;
export function onMenuClick(handler: (click: MenuClick) => void): Promise<() => void>;
