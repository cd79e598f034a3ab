// The opener plugin: URLs and files handed to the desktop (QDesktopServices::openUrl), each
// checked against the command's scope first. The scope check runs on the worker; only the
// hand-over runs on the GUI thread.
#include <QDesktopServices>
#include <QUrl>

#include <fmt/format.h>

#include "myapp/plugins.hpp"
#include "plugins/gui.hpp"

namespace myapp::plugins {

namespace {

constexpr std::string_view OPEN_URL = "plugin:opener|open_url";
constexpr std::string_view OPEN_PATH = "plugin:opener|open_path";

// The URL as the scope sees it: absolute, no user info, `.`/`..` segments resolved,
// lower-case scheme and host, fully percent-encoded.
result<QUrl> normalise(const std::string& text) {
  const QUrl url(QString::fromStdString(text), QUrl::StrictMode);
  if (!url.isValid() || url.isRelative()) {
    return error("opener.invalid_url",
                 fmt::format("`{}` is not an absolute URL{}{}", text, url.isValid() ? "" : ": ",
                             url.isValid() ? "" : url.errorString().toStdString()));
  }
  if (url.isLocalFile() || url.scheme() == QLatin1String("file")) {
    return error("opener.invalid_url",
                 fmt::format("`{}`: files are opened with open_path, whose scope is checked on "
                             "the real path",
                             text));
  }
  if (!url.userInfo().isEmpty()) {
    return error("opener.invalid_url",
                 fmt::format("`{}`: URLs with user info are refused", text));
  }
  return url.adjusted(QUrl::NormalizePathSegments);
}

void hand_over(const QUrl& url, const std::string& what) {
  const bool ok = detail::on_gui_thread([&] { return QDesktopServices::openUrl(url); });
  if (!ok) {
    throw error("opener.failed",
                fmt::format("the desktop could not open {} (no application handles it here)",
                            what));
  }
}

}  // namespace

plugin opener() {
  auto p = myapp::detail::core_plugin("opener");
  // A ready-made scope for the common case, granted only where a capability names it.
  p.permissions(R"J({"permissions": [{
    "identifier": "allow-open-web-urls",
    "description": "open_url for http, https and mailto URLs of any host",
    "commands": {"allow": ["open_url"]},
    "scope": {"allow": [{"url": "https://*/*"}, {"url": "http://*/*"}, {"url": "mailto:*"}]}}]})J");
  p.command("open_url", [](scope<desktop::opener_scope_entry> s, std::string url) {
    auto u = normalise(url);
    if (!u) throw u.error_value();
    const std::string normalised = u.value().toString(QUrl::FullyEncoded).toStdString();
    if (auto denied = desktop::check_url_scope(s, normalised, OPEN_URL)) throw *denied;
    hand_over(u.value(), fmt::format("`{}`", normalised));
  }, {"url"});
  p.command("open_path", [](scope<desktop::opener_scope_entry> s, std::string path) {
    auto c = desktop::canonical_path(path);
    if (!c) throw c.error_value();
    if (auto denied = desktop::check_path_scope(s, c.value(), OPEN_PATH)) throw *denied;
    hand_over(QUrl::fromLocalFile(QString::fromStdString(c.value())),
              fmt::format("`{}`", c.value()));
  }, {"path"});
  return p;
}

}  // namespace myapp::plugins
