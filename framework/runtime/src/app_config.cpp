#include "app_config.hpp"

#include <QFile>

#include <fmt/format.h>

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

}  // namespace myapp::runtime
