// The baseline: what a straightforward Qt app does without myapp. One QObject on a
// QWebChannel, one slot taking a JSON string per call, one signal carrying each answer as a
// JSON string, on a plain QWebEngineView with its own profile.
#pragma once

#include <QObject>
#include <QString>

#include <memory>

class QWebChannel;
class QWebEnginePage;
class QWebEngineProfile;
class QWebEngineView;

namespace bench {

class naive_object final : public QObject {
  Q_OBJECT

 public:
  using QObject::QObject;

 public slots:
  /// `{"id":N,"cmd":"...","args":{...}}`; answers with `reply({"id":N,"ok":...})` or
  /// `reply({"id":N,"error":"..."})`.
  void call(const QString& json);

 signals:
  void reply(const QString& json);
  void tick(int index);
};

/// The naive page, loaded from qrc:/naive/index.html.
class naive_app {
 public:
  naive_app();
  ~naive_app();
  naive_app(const naive_app&) = delete;
  naive_app& operator=(const naive_app&) = delete;

  [[nodiscard]] QWebEnginePage* page() const noexcept { return page_; }
  /// False once the page failed to load.
  [[nodiscard]] bool load_ok() const noexcept { return load_ok_; }

 private:
  QWebEngineProfile* profile_ = nullptr;
  std::unique_ptr<QWebEngineView> view_;
  QWebEnginePage* page_ = nullptr;
  QWebChannel* channel_ = nullptr;
  naive_object* object_ = nullptr;
  bool load_ok_ = true;
};

}  // namespace bench
