#include "app_acl.hpp"

#include <QDir>
#include <QFile>
#include <QUrl>

#include <cstdlib>

#include "log.hpp"
#include "myapp/app.hpp"
#include "myapp/router.hpp"

namespace myapp::runtime {

namespace {
void read_folder(const QString& folder, const char* label, std::vector<acl::source>& out) {
  QDir dir(folder);
  const auto names = dir.entryList({QStringLiteral("*.json")}, QDir::Files, QDir::Name);
  for (const auto& name : names) {
    QFile f(dir.filePath(name));
    if (!f.open(QIODevice::ReadOnly)) continue;
    const QByteArray text = f.readAll();
    out.push_back(acl::source{std::string(label) + "/" + name.toStdString(),
                              std::string(text.constData(), static_cast<std::size_t>(text.size()))});
  }
}

QString origin_of(const QUrl& u) {
  QString o = u.scheme() + QStringLiteral("://") + u.host();
  if (u.port() != -1) o += QLatin1Char(':') + QString::number(u.port());
  return o;
}
}  // namespace

std::shared_ptr<const acl::policy> load_policy(const std::vector<acl::source>& extra_capabilities,
                                               const std::vector<acl::source>& extra_permissions,
                                               const std::vector<std::string>& commands,
                                               const std::vector<acl::plugin_permissions>& plugins,
                                               const std::vector<std::string>& enabled) {
  std::vector<acl::source> files;
  std::vector<acl::source> perms;
  read_folder(QStringLiteral(":/myapp/capabilities"), "capabilities", files);
  read_folder(QStringLiteral(":/myapp/permissions"), "permissions", perms);
  std::vector<acl::problem> problems;
  std::vector<acl::source> caps = acl::select_capabilities(files, enabled, problems);
  caps.insert(caps.end(), extra_capabilities.begin(), extra_capabilities.end());
  perms.insert(perms.end(), extra_permissions.begin(), extra_permissions.end());
  auto loaded = acl::policy::load(caps, perms, commands, plugins);
  problems.insert(problems.end(), loaded.problems.begin(), loaded.problems.end());
  if (!problems.empty()) {
    std::string list;
    for (const auto& p : problems) {
      list += "\n  " + p.file + (p.path.empty() ? "" : ": " + p.path) + ": " + p.message;
    }
    throw setup_error("myapp: the app's capabilities have problems:" + list);
  }
  if (caps.empty()) {
    log()->warn("the app has no capability: no page may call any command (add "
                "capabilities/*.json to myapp_add_app, or app.capability(...))");
  }
  return std::make_shared<const acl::policy>(std::move(*loaded.value));
}

bool is_local_url(const std::string& url) {
  const QUrl u(QString::fromStdString(url));
  if (!u.isValid()) return false;
  const QString origin = origin_of(u);
  if (origin == QString::fromUtf8(APP_ORIGIN.data(), static_cast<qsizetype>(APP_ORIGIN.size()))) {
    return true;
  }
  if (const char* dev = std::getenv("MYAPP_DEV_URL"); dev != nullptr && *dev != '\0') {
    const QUrl d(QString::fromUtf8(dev));
    return d.isValid() && origin_of(d) == origin;
  }
  return false;
}

}  // namespace myapp::runtime
