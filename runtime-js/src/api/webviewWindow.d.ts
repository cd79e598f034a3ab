import { WebviewWindow } from './window.js';

export { WebviewWindow };
/** The window of this page; throws `window.not_found` outside a myapp window. */
export function getCurrentWebviewWindow(): WebviewWindow;
/** Every live window. */
export function getAllWebviewWindows(): Promise<WebviewWindow[]>;
