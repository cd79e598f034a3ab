// myapp — Qt's asynchronous APIs in coroutine handlers (task.hpp): wait for a QFuture or a
// QNetworkReply without holding a thread.
//
//     app.command("download", [&](std::string url) -> myapp::task<std::string> {
//       co_await myapp::on_gui();                    // QNetworkAccessManager lives there
//       QNetworkReply* reply = network.get(QNetworkRequest(QUrl(QString::fromStdString(url))));
//       co_await myapp::qt::finished(reply);          // no thread held while it downloads
//       auto body = reply->readAll().toStdString();
//       reply->deleteLater();
//       co_return body;
//     }, {"url"});
//
//     auto sum = co_await myapp::qt::result(QtConcurrent::run([] { return heavy(); }));
//
// Cancellation stops the wait (the `co_await` throws `cancelled`); the future or the reply
// goes on unless the handler aborts it.
#pragma once

#include <QCoreApplication>
#include <QFuture>
#include <QFutureWatcher>
#include <QMetaObject>
#include <QObject>

#include <functional>
#include <memory>
#include <utility>

#include "myapp/task.hpp"

namespace myapp::qt {

/// Waits until `future` finishes. `co_await qt::finished(f)`; then read it (f.result(), ...).
template <class T>
auto finished(QFuture<T> future) {
  return suspend_until([future](std::function<void()> resume) mutable {
    // The watcher lives on the GUI thread, which has the event loop its signal needs.
    QMetaObject::invokeMethod(
        QCoreApplication::instance(),
        [future, resume = std::move(resume)]() mutable {
          auto* watcher = new QFutureWatcher<T>();
          QObject::connect(watcher, &QFutureWatcher<T>::finished, watcher, [watcher, resume] {
            watcher->deleteLater();
            resume();
          });
          watcher->setFuture(future);
        },
        Qt::QueuedConnection);
  });
}

/// Waits until `future` finishes and gives its result (`QFuture<void>`: nothing).
template <class T>
task<T> result(QFuture<T> future) {
  co_await finished(future);
  if constexpr (!std::is_void_v<T>) co_return future.result();
}

/// Waits until `reply` (a QNetworkReply, or any QObject with `isFinished()` and a `finished`
/// signal) has finished. The reply stays the handler's: read it, then `deleteLater()` it.
template <class Reply>
auto finished(Reply* reply) {
  return suspend_until([reply](std::function<void()> resume) {
    // In the reply's own thread: it cannot finish between the check and the connection.
    QMetaObject::invokeMethod(
        reply,
        [reply, resume = std::move(resume)] {
          if (reply->isFinished()) {
            resume();
          } else {
            QObject::connect(reply, &Reply::finished, reply, resume, Qt::SingleShotConnection);
          }
        },
        Qt::QueuedConnection);
  });
}

}  // namespace myapp::qt
