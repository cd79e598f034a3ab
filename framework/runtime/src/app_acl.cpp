#include "app_acl.hpp"

#include <QDir>
#include <QFile>
#include <QUrl>

#include <cstdlib>

#include "log.hpp"
#include "myapp/app.hpp"
#include "myapp/router.hpp"
#include "myapp/url.hpp"

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
  const std::string origin = myapp::origin_of(url);
  if (origin.empty()) return false;
  if (origin == APP_ORIGIN) return true;
  if (const char* dev = std::getenv("MYAPP_DEV_URL"); dev != nullptr && *dev != '\0') {
    // Through QUrl, which cleans up a hand-written URL (IDN, %41) as Chromium does.
    const QUrl d(QString::fromUtf8(dev));
    return d.isValid() && myapp::origin_of(d.toString().toStdString()) == origin;
  }
  return false;
}

}  // namespace myapp::runtime
