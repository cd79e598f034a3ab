// The page of a naive baseline (naive_page.hpp).
#include "naive_page.hpp"

#include <QObject>
#include <QWebChannel>
#include <QWebEnginePage>
#include <QWebEngineProfile>
#include <QWebEngineView>

namespace myapp::bench {

naive_page::naive_page(const QString& profile_name)
    : naive_page(new QWebEngineProfile(profile_name)) {
  owns_profile_ = true;
}

naive_page::naive_page(QWebEngineProfile* shared) : profile_(shared), owns_profile_(false) {
  view_ = std::make_unique<QWebEngineView>();
  page_ = new QWebEnginePage(profile_, view_.get());
  view_->setPage(page_);
  channel_ = new QWebChannel(page_);
  page_->setWebChannel(channel_);
  QObject::connect(page_, &QWebEnginePage::loadFinished, page_,
                   [this](bool ok) { load_ok_ = load_ok_ && ok; });
  view_->resize(800, 600);
}

naive_page::~naive_page() {
  // QtWebEngine wants the page gone before its profile.
  view_.reset();
  if (owns_profile_) delete profile_;
}

void naive_page::open(QObject* object, const QUrl& url) {
  object->setParent(page_);
  channel_->registerObject(QStringLiteral("naive"), object);
  open_bare(url);
}

void naive_page::open_bare(const QUrl& url) {
  url_ = url;
  view_->load(url);
  view_->show();
}

}  // namespace myapp::bench
