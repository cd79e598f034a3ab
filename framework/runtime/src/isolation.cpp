// The client's scripts in a page's worlds; see isolation.hpp.
#include "isolation.hpp"

#include <QFile>
#include <QWebChannel>
#include <QWebEnginePage>
#include <QWebEngineScriptCollection>

#include <fmt/format.h>

#include "api_modules.hpp"
#include "log.hpp"
#include "myapp/app.hpp"
#include "myapp/config.hpp"
#include "myapp/json.hpp"
#include "runtime_js.hpp"
#include "scheme.hpp"

namespace myapp::runtime {

namespace {

// Qt's QWebChannel client, read once.
const QString& web_channel_js() {
  static const QString source = [] {
    QFile f(QStringLiteral(":/qtwebchannel/qwebchannel.js"));
    if (!f.open(QIODevice::ReadOnly)) {
      log()->critical("qwebchannel.js is missing from Qt's resources; the page cannot connect");
      return QString();
    }
    return QString::fromUtf8(f.readAll()) + QLatin1Char('\n');
  }();
  return source;
}

QString quoted(const std::string& s) {
  std::string out;
  json::writer(out).string(s);
  return QString::fromStdString(out);
}

QString text(std::string_view s) {
  return QString::fromUtf8(s.data(), static_cast<qsizetype>(s.size()));
}

// One form of the client, in the function through which the host hands it what it needs: the
// secret of the bridge, the window's label, and the function building the namespaces of
// __MYAPP__ (or null).
QString wrapped(std::string_view client, const std::string& secret, const std::string& label,
                bool namespaces) {
  return QStringLiteral("(function(__myapp_secret, __myapp_label, __myapp_namespaces){\n") +
         text(client) + QStringLiteral("\n})(") + quoted(secret) + QLatin1Char(',') +
         quoted(label) + QLatin1Char(',') +
         (namespaces ? text(API_NAMESPACES) : QStringLiteral("null")) + QStringLiteral(");\n");
}

}  // namespace

std::string isolation_source(const QString& root, const std::string& path, const std::string& label) {
  if (!config::valid_frontend_script(path)) {
    throw setup_error(fmt::format("myapp: the isolation hook of window `{}`, \"{}\", should be a .js "
                                  "file inside the frontend, e.g. \"isolation.js\"",
                                  label, path));
  }
  const QString file = app_scheme_handler::resolve(root, QString::fromStdString(path));
  QFile f(file);
  if (file.isEmpty() || !f.open(QIODevice::ReadOnly)) {
    throw setup_error(fmt::format("myapp: the isolation hook of window `{}` is missing: the "
                                  "frontend ({}) has no file {}",
                                  label, root.toStdString(), path));
  }
  return f.readAll().toStdString();
}

QWebEngineScript document_script(const QString& name, const QString& source, quint32 world) {
  QWebEngineScript script;
  script.setName(name);
  script.setSourceCode(source);
  script.setInjectionPoint(QWebEngineScript::DocumentCreation);
  script.setWorldId(world);
  script.setRunsOnSubFrames(false);
  return script;
}

void install_client(QWebEnginePage& page, QWebChannel& channel, const std::string& secret,
                    const std::string& label, const page_client& client) {
  auto& scripts = page.scripts();
  if (client.isolation.empty()) {
    page.setWebChannel(&channel, QWebEngineScript::MainWorld);
    scripts.insert(document_script(QStringLiteral("myapp-client"),
                                   web_channel_js() +
                                       wrapped(RUNTIME_JS, secret, label, client.namespaces)));
    return;
  }
  // qt.webChannelTransport exists in the isolation world only: the page's scripts cannot reach
  // it, nor the secret, nor the lane. The hook goes first, so that it is defined before the
  // first message; one that throws is logged, and with no hook every message is refused.
  page.setWebChannel(&channel, ISOLATION_WORLD);
  scripts.insert(document_script(QStringLiteral("myapp-isolation-hook"),
                                 QString::fromStdString(client.isolation), ISOLATION_WORLD));
  scripts.insert(document_script(QStringLiteral("myapp-isolation"),
                                 web_channel_js() + wrapped(ISOLATION_JS, secret, label, false),
                                 ISOLATION_WORLD));
  scripts.insert(document_script(QStringLiteral("myapp-client"),
                                 wrapped(RUNTIME_JS_RELAYED, {}, label, client.namespaces)));
}

}  // namespace myapp::runtime
