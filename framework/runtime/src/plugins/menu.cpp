// The menu plugin: a menu bar on a window, described in C++ or by the window's own page.
#include <QLayout>
#include <QMainWindow>
#include <QMenuBar>
#include <QThread>
#include <QTimer>
#include <QWebEngineView>

#include <fmt/format.h>

#include "log.hpp"
#include "myapp/app.hpp"
#include "myapp/plugins.hpp"
#include "plugins/gui.hpp"

namespace myapp::plugins {

namespace {

const QString MENU_BAR_NAME = QStringLiteral("myapp-menu-bar");

// Puts `bar` (or none) at the top of the window holding `view`, deleting the previous one.
std::optional<error> install(QWebEngineView* view, const std::string& label, QMenuBar* bar) {
  QWidget* top = view->window();
  if (auto* main = qobject_cast<QMainWindow*>(top)) {
    if (bar != nullptr) {
      main->setMenuBar(bar);  // deletes the previous one
    } else if (auto* old = main->menuWidget()) {
      main->setMenuWidget(nullptr);
      old->deleteLater();
    }
    return std::nullopt;
  }
  QLayout* layout = top->layout();
  if (layout == nullptr) {
    delete bar;
    return error("menu.unsupported",
                 fmt::format("window `{}` has no layout to hold a menu bar", label));
  }
  QWidget* old = layout->menuBar();
  layout->setMenuBar(bar);
  if (old != nullptr) old->deleteLater();
  return std::nullopt;
}

}  // namespace

std::optional<error> set_window_menu(app& a, const std::string& label,
                                     const std::vector<desktop::menu_item>& items) {
  auto* qapp = QCoreApplication::instance();
  if (qapp == nullptr || QThread::currentThread() != qapp->thread()) {
    return error("menu.wrong_thread", "set_window_menu is called on the GUI thread only");
  }
  auto* w = a.find_window(label);
  if (w == nullptr || w->view() == nullptr) {
    return error("menu.not_found", fmt::format("no window labelled `{}`", label));
  }
  if (items.empty()) return install(w->view(), label, nullptr);
  auto bar = std::make_unique<QMenuBar>();
  bar->setObjectName(MENU_BAR_NAME);
  auto* app = &a;
  auto e = detail::fill_menu(bar.get(), items,
                             [app, label](const std::string& id, std::optional<bool> checked) {
                               app->emit_event_to(label, "menu:click",
                                                  desktop::menu_click{id, label, checked});
                             });
  if (e) return e;
  return install(w->view(), label, bar.release());
}

plugin menu(menu_options options) {
  auto p = myapp::detail::core_plugin("menu");
  auto app_ptr = std::make_shared<myapp::app*>(nullptr);
  p.setup([app_ptr, windows = std::move(options.windows)](myapp::app& a) {
    *app_ptr = &a;
    if (windows.empty()) return;
    // Setup runs before the windows exist: their menus are set once the event loop turns.
    QTimer::singleShot(0, QCoreApplication::instance(), [&a, windows] {
      for (const auto& [label, items] : windows) {
        if (auto e = set_window_menu(a, label, items)) {
          runtime::log()->error("menu of window `{}`: {}", label, e->message());
        }
      }
    });
  });
  p.teardown([app_ptr](myapp::app&) { *app_ptr = nullptr; });
  const command_options gui{.main_thread = true};
  p.command("set", [app_ptr](const request& r, std::vector<desktop::menu_item> items) {
    if (*app_ptr == nullptr) throw error("app.closed", "the application has shut down");
    if (items.empty()) {
      throw error("menu.invalid", "`items` is empty; use `remove` to take the menu bar away");
    }
    if (auto e = set_window_menu(**app_ptr, r.caller().label, items)) throw *e;
  }, {"items"}, gui);
  p.command("remove", [app_ptr](const request& r) {
    if (*app_ptr == nullptr) throw error("app.closed", "the application has shut down");
    if (auto e = set_window_menu(**app_ptr, r.caller().label, {})) throw *e;
  }, {}, gui);
  return p;
}

}  // namespace myapp::plugins
