// The tray plugin: icons in the system tray, each with an optional menu. Everything runs on
// the GUI thread; the icons are children of the application object, so they go with it.
#include <QApplication>
#include <QColor>
#include <QFile>
#include <QIcon>
#include <QMenu>
#include <QPixmap>
#include <QPointer>
#include <QSystemTrayIcon>

#include <fmt/format.h>

#include <map>
#include <memory>

#include "log.hpp"
#include "myapp/app.hpp"
#include "myapp/plugins.hpp"
#include "plugins/gui.hpp"

namespace myapp::plugins {

namespace {

constexpr std::size_t MAX_TRAY_ICONS = 16;

struct tray_click {
  std::string id;
  /// "click", "double-click", "middle-click" or "context".
  std::string reason;
};
MYAPP_STRUCT(tray_click, id, reason)

struct tray_state {
  myapp::app* app = nullptr;
  std::map<std::string, QPointer<QSystemTrayIcon>, std::less<>> icons;  // GUI thread only
  std::size_t next = 1;
};


QIcon load_icon(const std::optional<std::string>& path) {
  if (!path) {
    if (!QApplication::windowIcon().isNull()) return QApplication::windowIcon();
    QPixmap square(32, 32);
    square.fill(QColor(0x33, 0x66, 0xcc));
    return QIcon(square);
  }
  if (path->empty() || path->find("..") != std::string::npos || path->front() == '/') {
    throw error("tray.invalid_icon",
                fmt::format("icon `{}` must be a relative path inside the app's frontend", *path));
  }
  const QString resource = QStringLiteral(":/myapp/frontend/") + QString::fromStdString(*path);
  if (!QFile::exists(resource)) {
    throw error("tray.invalid_icon",
                fmt::format("icon `{}` is not in the app's frontend", *path));
  }
  return QIcon(resource);
}

// A tray icon does not own its menu.
void destroy(QSystemTrayIcon* icon) {
  if (icon == nullptr) return;
  delete icon->contextMenu();
  delete icon;
}

QSystemTrayIcon& find(tray_state& st, const std::string& id) {
  auto it = st.icons.find(id);
  if (it == st.icons.end() || it->second.isNull()) {
    throw error("tray.not_found", fmt::format("no tray icon with id `{}`", id));
  }
  return *it->second;
}

void set_menu(tray_state& st, QSystemTrayIcon& icon, const std::string& tray_id,
              const std::optional<std::vector<desktop::menu_item>>& items) {
  if (!items) {
    delete icon.contextMenu();
    icon.setContextMenu(nullptr);
    return;
  }
  auto menu = std::make_unique<QMenu>();
  auto* app = st.app;
  auto e = detail::fill_menu(menu.get(), *items,
                             [app, tray_id](const std::string& id, std::optional<bool> checked) {
                               if (app != nullptr) {
                                 app->emit_event("tray:menu",
                                                 desktop::menu_click{id, tray_id, checked});
                               }
                             });
  if (e) throw *e;
  delete icon.contextMenu();
  icon.setContextMenu(menu.release());
}

std::string create(tray_state& st, const tray_spec& spec) {
  if (!QSystemTrayIcon::isSystemTrayAvailable()) {
    throw error("tray.unavailable",
                "this desktop has no system tray (QSystemTrayIcon::isSystemTrayAvailable() is "
                "false: a headless session, or no StatusNotifier host is running)");
  }
  std::erase_if(st.icons, [](const auto& e) { return e.second.isNull(); });
  if (st.icons.size() >= MAX_TRAY_ICONS) {
    throw error("tray.limit", fmt::format("an app may have at most {} tray icons", MAX_TRAY_ICONS));
  }
  std::string id = spec.id.value_or("");
  if (id.empty()) {
    do {
      id = fmt::format("tray-{}", st.next++);
    } while (st.icons.contains(id));
  }
  desktop::menu_item probe;
  probe.id = id;
  probe.text = "tray";
  if (desktop::check_menu({probe})) {
    throw error("tray.invalid_id", fmt::format("tray id `{}` must have 1 to 128 characters from "
                                               "A-Z a-z 0-9 - _ . : /",
                                               id));
  }
  if (st.icons.contains(id)) {
    throw error("tray.exists", fmt::format("a tray icon with id `{}` exists already", id));
  }
  auto icon = std::make_unique<QSystemTrayIcon>(load_icon(spec.icon), QCoreApplication::instance());
  if (spec.tooltip) icon->setToolTip(QString::fromStdString(*spec.tooltip));
  if (spec.menu) {
    try {
      set_menu(st, *icon, id, spec.menu);
    } catch (...) {
      destroy(icon.release());
      throw;
    }
  }
  auto* app = st.app;
  QObject::connect(icon.get(), &QSystemTrayIcon::activated, icon.get(),
                   [app, id](QSystemTrayIcon::ActivationReason r) {
                     const char* reason = r == QSystemTrayIcon::DoubleClick ? "double-click"
                                          : r == QSystemTrayIcon::MiddleClick ? "middle-click"
                                          : r == QSystemTrayIcon::Context     ? "context"
                                                                              : "click";
                     if (app != nullptr) app->emit_event("tray:click", tray_click{id, reason});
                   });
  icon->show();
  st.icons.emplace(id, icon.release());
  return id;
}

}  // namespace


plugin tray(tray_options options) {
  auto p = myapp::detail::core_plugin("tray");
  auto st = std::make_shared<tray_state>();
  p.setup([st, icons = std::move(options.icons)](myapp::app& a) {
    st->app = &a;
    for (const auto& spec : icons) {
      try {
        create(*st, spec);
      } catch (const error& e) {
        runtime::log()->warn("tray icon `{}` not created: {}", spec.id.value_or(""), e.message());
      }
    }
  });
  p.teardown([st](myapp::app&) {
    for (auto& [id, icon] : st->icons) destroy(icon.data());
    st->icons.clear();
    st->app = nullptr;
  });
  const command_options gui{.main_thread = true};
  p.command("create", [st](const tray_spec& spec) { return create(*st, spec); }, {}, gui);
  p.command("set_menu", [st](std::string id, std::optional<std::vector<desktop::menu_item>> menu) {
    set_menu(*st, find(*st, id), id, menu);
  }, {"id", "menu"}, gui);
  p.command("set_tooltip", [st](std::string id, std::string tooltip) {
    find(*st, id).setToolTip(QString::fromStdString(tooltip));
  }, {"id", "tooltip"}, gui);
  p.command("remove", [st](std::string id) {
    destroy(&find(*st, id));
    st->icons.erase(id);
  }, {"id"}, gui);
  return p;
}

}  // namespace myapp::plugins
