// @myapp/api/webviewWindow — a window and its web view, which are one in myapp (the shapes of
// @tauri-apps/api/webviewWindow). Served to app pages as /__myapp/api/webviewWindow.js.
import { WebviewWindow, getCurrentWindow, getAllWindows } from './window.js';

export { WebviewWindow };

/** The window of this page. */
export function getCurrentWebviewWindow() {
  return getCurrentWindow();
}

/** Every live window. */
export function getAllWebviewWindows() {
  return getAllWindows();
}
