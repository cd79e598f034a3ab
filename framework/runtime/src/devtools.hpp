// Chromium's devtools for a window's page, and the Chrome DevTools Protocol on loopback.
//
//   MYAPP_REMOTE_DEBUGGING=9222   the app serves CDP on 127.0.0.1:9222 only (never on other
//                                 addresses); a value that is not a port stops start()
//   dev mode                      F12 and Ctrl+Shift+I open a devtools window for the page,
//                                 and so does `__MYAPP__.openDevtools()`; see devtools_enabled
#pragma once

#include <string>

class QWebEngineView;

namespace myapp::runtime {

/// Reads MYAPP_REMOTE_DEBUGGING and, when it is a port, sets QTWEBENGINE_REMOTE_DEBUGGING to
/// 127.0.0.1:<port>; call before the QApplication exists. Returns a message saying what is
/// wrong when it is set but is not a port (1 to 65535), else an empty string. A port another
/// program holds is logged as an error (the app runs without the protocol); otherwise the
/// first attach_devtools starts watching, and "remote debugging: ..." is logged once Chromium
/// listens there (an error when it does not within 15 s).
std::string configure_remote_debugging();

/// Whether devtools may be opened: MYAPP_DEVTOOLS=1 or 0 decides when set; otherwise
/// `option` when the app set it; otherwise true under `myapp dev` (MYAPP_DEV_URL or
/// MYAPP_DEV_FRONTEND set) and false everywhere else.
bool devtools_enabled(const bool* option);

/// Gives `view` its devtools: F12 and Ctrl+Shift+I open them when `enabled`. GUI thread.
void attach_devtools(QWebEngineView* view, const std::string& label, bool enabled);

/// Opens (or brings forward) the devtools window of `view`'s page: a separate window owned
/// by the view, closed with it. False when `view` was not given devtools. GUI thread.
bool open_devtools(QWebEngineView* view);

/// True while the devtools window of `view` is shown.
bool devtools_open(QWebEngineView* view);

}  // namespace myapp::runtime
