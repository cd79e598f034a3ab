#include "app_config.hpp"

#include <QFile>

#include <fmt/format.h>

#include <cstdlib>
#include <string>

#include "log.hpp"

namespace myapp::runtime {

std::optional<config::project> load_embedded_config() {
  QFile f(QString::fromLatin1(EMBEDDED_CONFIG));
  if (!f.exists()) return std::nullopt;
  if (!f.open(QIODevice::ReadOnly)) {
    throw setup_error(fmt::format("myapp: cannot read the embedded {}", EMBEDDED_CONFIG));
  }
  const QByteArray text = f.readAll();
  auto loaded = config::parse(std::string_view(text.constData(), static_cast<std::size_t>(text.size())),
                              "myapp.conf.json");
  if (!loaded.ok()) {
    std::string message = fmt::format(
        "myapp: the embedded myapp.conf.json has {} problem{}:", loaded.problems.size(),
        loaded.problems.size() == 1 ? "" : "s");
    for (const auto& p : loaded.problems) message += "\n  " + config::format(p);
    throw setup_error(message);
  }
  log()->debug("configuration: {} {} ({})", loaded.config->product_name, loaded.config->version,
               loaded.config->identifier);
  return std::move(loaded.config);
}

std::vector<window_options> configured_windows(const config::project& conf) {
  std::vector<window_options> out;
  out.reserve(conf.app.windows.size());
  for (const auto& w : conf.app.windows) {
    out.push_back(window_options{.label = w.label,
                                 .title = w.title.value_or(conf.product_name),
                                 .url = w.url,
                                 .width = w.width,
                                 .height = w.height,
                                 .resizable = w.resizable,
                                 .visible = w.visible});
  }
  return out;
}

std::string app_identifier(const app_options& o) {
  if (!o.identifier.empty()) return o.identifier;
  if (auto conf = load_embedded_config(); conf && !conf->identifier.empty()) {
    return conf->identifier;
  }
  return o.name;
}

std::string page_csp(const std::optional<config::project>& conf, int lane_port) {
  static constexpr const char* DEFAULT_CSP =
      "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
      "img-src 'self' data: blob:; font-src 'self' data:; media-src 'self' data: blob:; "
      "connect-src 'self'; frame-src 'self' data:; object-src 'none'; "
      "base-uri 'self'; form-action 'self'";
  std::string csp = conf && conf->app.security.csp ? *conf->app.security.csp : DEFAULT_CSP;
  if (lane_port != 0) csp = config::csp_allow_connect(csp, fmt::format("ws://127.0.0.1:{}", lane_port));
  return csp;
}

bool env_set(const char* name) {
  const char* v = std::getenv(name);
  return v != nullptr && *v != '\0';
}

bool env_flag(const char* name) {
  const char* v = std::getenv(name);
  return v != nullptr && *v != '\0' && std::string_view(v) != "0";
}

}  // namespace myapp::runtime
