// The scripts every page of a window gets: the myapp client in the page's world and, when the app
// has an isolation hook (myapp.conf.json's app.security.isolation), the isolation world where
// the hook, the web channel and the bulk lane live, out of the page scripts' reach. See
// docs/security.md.
#pragma once

#include <QString>
#include <QWebEngineScript>

#include <string>

class QWebChannel;
class QWebEnginePage;

namespace myapp::runtime {

/// How the client is set up in a window's pages.
struct page_client {
  /// The modules of @myapp/api as namespaces of `__MYAPP__` (app.withGlobalMyapp).
  bool namespaces = true;
  /// The isolation hook's source (a script defining `__MYAPP_ISOLATION_HOOK__`); empty: none.
  std::string isolation;
};

/// The world the isolation hook and the transport run in: one of its own, apart from Qt's
/// ApplicationWorld and UserWorld, which other scripts of the app may use.
inline constexpr quint32 ISOLATION_WORLD = 101;

/// The source of the isolation hook `path` (a script inside the frontend, under `root` as the app
/// scheme serves it) for window `label`. Throws `setup_error` saying what is wrong: a path that
/// is not a .js file inside the frontend, or a file that is not there.
std::string isolation_source(const QString& root, const std::string& path, const std::string& label);

/// A script run in every document of a page as it is created, in `world`, in the main frame.
QWebEngineScript document_script(const QString& name, const QString& source,
                                 quint32 world = QWebEngineScript::MainWorld);

/// Puts the client into every document `page` loads, with `channel` in the world that holds the
/// transport: the page's own, or, with an isolation hook, the isolation world, whose client
/// alone knows `secret`. `label` names the page's window.
void install_client(QWebEnginePage& page, QWebChannel& channel, const std::string& secret,
                    const std::string& label, const page_client& client);

}  // namespace myapp::runtime
