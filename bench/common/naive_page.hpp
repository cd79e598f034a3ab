// The page of a naive baseline (bench/ipc, bench/bytes): what a straightforward Qt app does
// without myapp, a plain QWebEngineView on a profile of its own with one QObject, `naive`, on a
// QWebChannel.
#pragma once

#include <QString>
#include <QUrl>

#include <memory>

class QObject;
class QWebChannel;
class QWebEnginePage;
class QWebEngineProfile;
class QWebEngineView;

namespace myapp::bench {

class naive_page {
 public:
  /// The view, its page and its channel on a new profile named `profile_name`; nothing is
  /// loaded yet, so that a scheme handler can be installed on `profile()` first.
  explicit naive_page(const QString& profile_name);
  /// The same on `shared`, a profile other pages use too (bench/scale's many views); the
  /// caller keeps it alive until every page on it is gone.
  explicit naive_page(QWebEngineProfile* shared);
  ~naive_page();
  naive_page(const naive_page&) = delete;
  naive_page& operator=(const naive_page&) = delete;

  /// Registers `object` as `naive` on the page's channel (the page takes it over), loads `url`
  /// and shows the view, like the myapp window: Chromium throttles timers of hidden pages.
  void open(QObject* object, const QUrl& url);
  /// Loads `url` and shows the view with nothing on its channel: a bare QtWebEngine view.
  void open_bare(const QUrl& url);

  [[nodiscard]] QWebEngineProfile* profile() const noexcept { return profile_; }
  [[nodiscard]] QWebEnginePage* page() const noexcept { return page_; }
  /// The URL given to open().
  [[nodiscard]] const QUrl& url() const noexcept { return url_; }
  /// False once the page failed to load.
  [[nodiscard]] bool load_ok() const noexcept { return load_ok_; }

 private:
  QWebEngineProfile* profile_ = nullptr;
  bool owns_profile_ = true;
  std::unique_ptr<QWebEngineView> view_;
  QWebEnginePage* page_ = nullptr;
  QWebChannel* channel_ = nullptr;
  QUrl url_;
  bool load_ok_ = true;
};

}  // namespace myapp::bench
