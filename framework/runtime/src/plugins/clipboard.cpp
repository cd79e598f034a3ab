// The clipboard plugin: the system clipboard's text. QClipboard belongs to the GUI thread, so
// the commands run there; each is one short call.
#include <QClipboard>
#include <QGuiApplication>
#include <QMimeData>

#include "myapp/plugins.hpp"

namespace myapp::plugins {

plugin clipboard() {
  auto p = myapp::detail::core_plugin("clipboard");
  const command_options gui{.main_thread = true};
  p.command("read_text", []() -> std::optional<std::string> {
    const QMimeData* data = QGuiApplication::clipboard()->mimeData(QClipboard::Clipboard);
    if (data == nullptr || !data->hasText()) return std::nullopt;
    return data->text().toStdString();
  }, {}, gui);
  p.command("write_text", [](std::string text) {
    QGuiApplication::clipboard()->setText(QString::fromStdString(text), QClipboard::Clipboard);
  }, {"text"}, gui);
  p.command("clear", [] { QGuiApplication::clipboard()->clear(QClipboard::Clipboard); }, {}, gui);
  return p;
}

}  // namespace myapp::plugins
