// The dialog plugin: file dialogs and message boxes, modal to the calling window.
//
// The handler runs on a worker; it asks the GUI thread to open the dialog (QDialog::open, never
// exec: no nested event loop) and waits for the answer, so the GUI thread keeps serving every
// window meanwhile. When the call is cancelled (the page aborted it, navigated or closed) the
// dialog is rejected.
#include <QAbstractButton>
#include <QFileDialog>
#include <QFileInfo>
#include <QMessageBox>
#include <QPushButton>
#include <QPointer>
#include <QWebEngineView>

#include <fmt/format.h>

#include <chrono>
#include <future>
#include <memory>
#include <mutex>
#include <set>

#include "myapp/app.hpp"
#include "myapp/plugins.hpp"
#include "plugins/gui.hpp"

namespace myapp::plugins {

namespace {

struct open_args {
  std::optional<std::string> title;
  std::optional<std::string> default_path;
  std::optional<std::vector<desktop::file_filter>> filters;
  std::optional<bool> multiple;
  std::optional<bool> directory;
};
MYAPP_STRUCT(open_args, title, default_path, filters, multiple, directory)

struct save_args {
  std::optional<std::string> title;
  std::optional<std::string> default_path;
  std::optional<std::vector<desktop::file_filter>> filters;
};
MYAPP_STRUCT(save_args, title, default_path, filters)

struct message_args {
  std::string message;
  std::optional<std::string> title;
  std::optional<std::string> kind;
  std::optional<std::string> ok_label;
  std::optional<std::string> cancel_label;
};
MYAPP_STRUCT(message_args, message, title, kind, ok_label, cancel_label)

struct dialog_state {
  myapp::app* app = nullptr;
  dialog_options options;
  std::mutex mutex;
  std::set<std::string, std::less<>> busy;  // windows with a dialog open
};

// The answer travels from the GUI thread to the waiting worker exactly once.
struct answer_slot {
  std::promise<dialog_answer> promise;
  std::once_flag once;
  void set(dialog_answer a) {
    std::call_once(once, [&] { promise.set_value(std::move(a)); });
  }
};

QWidget* parent_of(dialog_state& st, const std::string& label) {
  if (st.app == nullptr) return nullptr;
  auto* w = st.app->find_window(label);
  return w != nullptr ? w->view() : nullptr;
}

void show_file_dialog(dialog_state& st, const dialog_request& req, const QString& filters,
                      const std::shared_ptr<answer_slot>& slot, QPointer<QDialog>& handle) {
  QWidget* parent = parent_of(st, req.window);
  auto* d = new QFileDialog(parent, QString::fromStdString(req.title));
  d->setAttribute(Qt::WA_DeleteOnClose);
  d->setWindowModality(parent != nullptr ? Qt::WindowModal : Qt::ApplicationModal);
  if (req.kind == "save") {
    d->setAcceptMode(QFileDialog::AcceptSave);
    d->setFileMode(QFileDialog::AnyFile);
  } else if (req.directory) {
    d->setFileMode(QFileDialog::Directory);
    d->setOption(QFileDialog::ShowDirsOnly, true);
  } else {
    d->setFileMode(req.multiple ? QFileDialog::ExistingFiles : QFileDialog::ExistingFile);
  }
  if (!filters.isEmpty()) d->setNameFilters(filters.split(QStringLiteral(";;")));
  if (!req.default_path.empty()) {
    const QFileInfo info(QString::fromStdString(req.default_path));
    if (info.isDir()) {
      d->setDirectory(info.absoluteFilePath());
    } else {
      d->setDirectory(info.absolutePath());
      d->selectFile(info.fileName());
    }
  }
  QObject::connect(d, &QDialog::finished, d, [d, slot](int result) {
    dialog_answer a;
    if (result == QDialog::Accepted) {
      for (const auto& f : d->selectedFiles()) a.paths.push_back(f.toStdString());
      a.accepted = true;
    }
    slot->set(std::move(a));
  });
  handle = d;
  d->open();
}

void show_message_box(dialog_state& st, const dialog_request& req, const message_args& args,
                      const std::shared_ptr<answer_slot>& slot, QPointer<QDialog>& handle) {
  QWidget* parent = parent_of(st, req.window);
  const auto icon = req.message_kind == "error"     ? QMessageBox::Critical
                    : req.message_kind == "warning" ? QMessageBox::Warning
                                                    : QMessageBox::Information;
  auto* box = new QMessageBox(icon, QString::fromStdString(req.title),
                              QString::fromStdString(req.message), QMessageBox::NoButton, parent);
  box->setAttribute(Qt::WA_DeleteOnClose);
  box->setWindowModality(parent != nullptr ? Qt::WindowModal : Qt::ApplicationModal);
  box->setTextFormat(Qt::PlainText);  // the page's text is never markup
  QAbstractButton* yes = nullptr;
  if (req.kind == "message") {
    yes = box->addButton(QMessageBox::Ok);
  } else if (req.kind == "ask") {
    yes = box->addButton(QMessageBox::Yes);
    auto* no = box->addButton(QMessageBox::No);
    if (args.cancel_label) no->setText(QString::fromStdString(*args.cancel_label));
    box->setEscapeButton(no);
  } else {
    yes = box->addButton(QMessageBox::Ok);
    auto* cancel = box->addButton(QMessageBox::Cancel);
    if (args.cancel_label) cancel->setText(QString::fromStdString(*args.cancel_label));
    box->setEscapeButton(cancel);
  }
  if (args.ok_label) yes->setText(QString::fromStdString(*args.ok_label));
  QPointer<QAbstractButton> accept_button(yes);
  QObject::connect(box, &QDialog::finished, box, [box, accept_button, slot](int) {
    dialog_answer a;
    a.accepted = accept_button != nullptr && box->clickedButton() == accept_button.data();
    slot->set(std::move(a));
  });
  handle = box;
  box->open();
}

// Shows the dialog `req` (or lets the test hook answer it) and waits for the answer on the
// calling worker thread.
dialog_answer ask(const std::shared_ptr<dialog_state>& st, dialog_request req,
                  const cancel_token& cancel, QString filters = {}, message_args margs = {}) {
  {
    std::lock_guard lock(st->mutex);
    if (!st->busy.insert(req.window).second) {
      throw error("dialog.busy", fmt::format("window `{}` already has a dialog open; wait for "
                                             "its answer first",
                                             req.window));
    }
  }
  struct release {
    dialog_state& s;
    std::string label;
    ~release() {
      std::lock_guard lock(s.mutex);
      s.busy.erase(label);
    }
  } released{*st, req.window};

  // The worker keeps only the future: if the GUI side is torn down before answering, the
  // promise is destroyed with it and the wait ends with broken_promise.
  auto slot = std::make_shared<answer_slot>();
  auto answer = slot->promise.get_future();
  auto handle = std::make_shared<QPointer<QDialog>>();
  auto* qapp = QCoreApplication::instance();
  if (qapp == nullptr) throw error("app.closed", "the application has shut down");
  QMetaObject::invokeMethod(
      qapp,
      [st, req, filters, margs, slot = std::move(slot), handle]() mutable {
        if (st->options.answer) {
          if (auto a = st->options.answer(req)) {
            slot->set(std::move(*a));
            return;
          }
        }
        if (req.kind == "open" || req.kind == "save") {
          show_file_dialog(*st, req, filters, slot, *handle);
        } else {
          show_message_box(*st, req, margs, slot, *handle);
        }
      },
      Qt::QueuedConnection);

  bool rejected = false;
  while (answer.wait_for(std::chrono::milliseconds(50)) != std::future_status::ready) {
    if (cancel.cancelled() && !rejected) {
      rejected = true;
      QMetaObject::invokeMethod(qapp, [handle] {
        if (*handle) (*handle)->reject();
      }, Qt::QueuedConnection);
    }
  }
  try {
    return answer.get();
  } catch (const std::future_error&) {
    throw error("dialog.closed", "the dialog went away before it was answered");
  }
}

dialog_request base_request(std::string kind, const request& r,
                            const std::optional<std::string>& title) {
  dialog_request req;
  req.kind = std::move(kind);
  req.window = r.caller().label;
  req.title = title.value_or("");
  return req;
}

}  // namespace

plugin dialog(dialog_options options) {
  auto p = myapp::detail::core_plugin("dialog");
  auto st = std::make_shared<dialog_state>();
  st->options = std::move(options);
  p.setup([st](myapp::app& a) { st->app = &a; });
  p.teardown([st](myapp::app&) { st->app = nullptr; });

  p.command("open", [st](const request& r, cancel_token cancel, const open_args& args)
                -> std::optional<std::vector<std::string>> {
    auto req = base_request("open", r, args.title);
    req.filters = args.filters.value_or(std::vector<desktop::file_filter>{});
    req.default_path = args.default_path.value_or("");
    req.multiple = args.multiple.value_or(false);
    req.directory = args.directory.value_or(false);
    if (req.multiple && req.directory) {
      throw error("dialog.invalid_options", "`multiple` and `directory` cannot both be true");
    }
    auto filters = desktop::name_filters(req.filters);
    if (!filters) throw filters.error_value();
    auto a = ask(st, std::move(req), cancel, QString::fromStdString(filters.value()));
    if (!a.accepted || a.paths.empty()) return std::nullopt;
    return a.paths;
  });

  p.command("save", [st](const request& r, cancel_token cancel,
                         const save_args& args) -> std::optional<std::string> {
    auto req = base_request("save", r, args.title);
    req.filters = args.filters.value_or(std::vector<desktop::file_filter>{});
    req.default_path = args.default_path.value_or("");
    auto filters = desktop::name_filters(req.filters);
    if (!filters) throw filters.error_value();
    auto a = ask(st, std::move(req), cancel, QString::fromStdString(filters.value()));
    if (!a.accepted || a.paths.empty()) return std::nullopt;
    return a.paths.front();
  });

  auto box = [st](std::string kind) {
    return [st, kind](const request& r, cancel_token cancel, const message_args& args) {
      auto req = base_request(kind, r, args.title);
      req.message = args.message;
      auto k = desktop::message_kind(args.kind);
      if (!k) throw k.error_value();
      req.message_kind = k.value();
      return ask(st, std::move(req), cancel, {}, args).accepted;
    };
  };
  p.command("message", [b = box("message")](const request& r, cancel_token cancel,
                                            const message_args& args) { b(r, cancel, args); });
  p.command("ask", box("ask"));
  p.command("confirm", box("confirm"));
  return p;
}

}  // namespace myapp::plugins
