#include "plugins/gui.hpp"

#include <QAction>
#include <QKeySequence>
#include <QMenu>
#include <QMenuBar>

#include <fmt/format.h>

namespace myapp::plugins::detail {

namespace {

// Qt reads a key it does not know as Qt::Key_unknown rather than failing.
bool valid_shortcut(const std::string& text) {
  const auto seq = QKeySequence::fromString(QString::fromStdString(text), QKeySequence::PortableText);
  if (seq.isEmpty()) return false;
  for (int i = 0; i < seq.count(); ++i) {
    if (seq[i].key() == Qt::Key_unknown) return false;
  }
  return true;
}

// First pass: every shortcut must read as a key sequence, so that a bad one adds nothing.
std::optional<error> check_shortcuts(const std::vector<desktop::menu_item>& items,
                                     const std::string& path) {
  for (std::size_t i = 0; i < items.size(); ++i) {
    const auto& it = items[i];
    const std::string where = fmt::format("{}[{}]", path, i);
    if (it.shortcut && !valid_shortcut(*it.shortcut)) {
      return error("menu.invalid",
                   fmt::format("{}: `shortcut` `{}` is not a key sequence (e.g. \"Ctrl+S\")", where,
                               *it.shortcut));
    }
    if (it.items) {
      if (auto e = check_shortcuts(*it.items, where + ".items")) return e;
    }
  }
  return std::nullopt;
}

// QMenu and QMenuBar share addMenu/addAction/addSeparator without a common base for them.
template <class M>
void add_items(M* target, const std::vector<desktop::menu_item>& items, const click_fn& on_click) {
  for (const auto& it : items) {
    if (it.separator.value_or(false)) {
      target->addSeparator();
      continue;
    }
    const QString text = QString::fromStdString(it.text.value_or(""));
    if (it.items) {
      QMenu* sub = target->addMenu(text);
      if (it.id) sub->menuAction()->setObjectName(QString::fromStdString(*it.id));
      sub->setEnabled(it.enabled.value_or(true));
      add_items(sub, *it.items, on_click);
      continue;
    }
    auto* action = new QAction(text, target);
    action->setObjectName(QString::fromStdString(*it.id));
    action->setEnabled(it.enabled.value_or(true));
    if (it.checkable.value_or(false)) {
      action->setCheckable(true);
      action->setChecked(it.checked.value_or(false));
    }
    if (it.shortcut) {
      action->setShortcut(
          QKeySequence::fromString(QString::fromStdString(*it.shortcut), QKeySequence::PortableText));
    }
    QObject::connect(action, &QAction::triggered, action,
                     [action, id = *it.id, on_click](bool checked) {
                       on_click(id, action->isCheckable() ? std::optional<bool>(checked)
                                                          : std::nullopt);
                     });
    target->addAction(action);
  }
}

template <class M>
std::optional<error> fill(M* target, const std::vector<desktop::menu_item>& items,
                          const click_fn& on_click) {
  if (auto e = desktop::check_menu(items)) return e;
  if (auto e = check_shortcuts(items, "items")) return e;
  add_items(target, items, on_click);
  return std::nullopt;
}

}  // namespace

std::optional<error> fill_menu(QMenuBar* bar, const std::vector<desktop::menu_item>& items,
                               const click_fn& on_click) {
  return fill(bar, items, on_click);
}

std::optional<error> fill_menu(QMenu* menu, const std::vector<desktop::menu_item>& items,
                               const click_fn& on_click) {
  return fill(menu, items, on_click);
}

}  // namespace myapp::plugins::detail
