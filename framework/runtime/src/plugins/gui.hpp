// Helpers shared by the desktop plugins: running code on the GUI thread from a handler, and
// building QMenus from menu descriptions.
#pragma once

#include <QCoreApplication>
#include <QMetaObject>
#include <QThread>

#include <functional>
#include <future>
#include <memory>
#include <optional>
#include <string>
#include <type_traits>
#include <vector>

#include "myapp/desktop.hpp"
#include "myapp/error.hpp"

class QMenu;
class QMenuBar;
class QWidget;

namespace myapp::plugins::detail {

/// Runs `fn` on the GUI thread and returns its result (or rethrows its exception): directly
/// when called there, else posted to the GUI thread while the caller waits. Only the posted
/// task owns the promise, so if the application goes away before running it the wait ends
/// with `error("app.closed")` instead of hanging.
template <class F>
auto on_gui_thread(F fn) -> std::invoke_result_t<F&> {
  using R = std::invoke_result_t<F&>;
  auto* qapp = QCoreApplication::instance();
  if (qapp == nullptr) throw error("app.closed", "the application has shut down");
  if (QThread::currentThread() == qapp->thread()) return fn();
  auto task = std::make_shared<std::packaged_task<R()>>(std::move(fn));
  auto done = task->get_future();
  QMetaObject::invokeMethod(qapp, [task = std::move(task)] { (*task)(); }, Qt::QueuedConnection);
  try {
    return done.get();
  } catch (const std::future_error&) {
    throw error("app.closed", "the application has shut down");
  }
}

using click_fn = std::function<void(const std::string& id, std::optional<bool> checked)>;

/// Fills `bar` (or `menu`) with `items`, which check_menu accepted. Every action's
/// objectName is its id. Error `menu.invalid` for a shortcut Qt cannot read; nothing is added
/// then.
std::optional<error> fill_menu(QMenuBar* bar, const std::vector<desktop::menu_item>& items,
                               const click_fn& on_click);
std::optional<error> fill_menu(QMenu* menu, const std::vector<desktop::menu_item>& items,
                               const click_fn& on_click);

}  // namespace myapp::plugins::detail
