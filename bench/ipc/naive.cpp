#include "naive.hpp"

#include <QJsonDocument>
#include <QJsonObject>
#include <QUrl>
#include <QWebChannel>
#include <QWebEnginePage>
#include <QWebEngineProfile>
#include <QWebEngineView>

namespace bench {

void naive_object::call(const QString& json) {
  const QJsonObject message = QJsonDocument::fromJson(json.toUtf8()).object();
  const QJsonValue id = message.value(QLatin1String("id"));
  const QString cmd = message.value(QLatin1String("cmd")).toString();
  const QJsonObject args = message.value(QLatin1String("args")).toObject();
  QJsonObject answer{{QLatin1String("id"), id}};
  if (cmd == QLatin1String("echo_small") || cmd == QLatin1String("echo")) {
    answer.insert(QLatin1String("ok"), args.value(QLatin1String("text")).toString());
  } else if (cmd == QLatin1String("emit_events")) {
    const int count = args.value(QLatin1String("count")).toInt();
    for (int i = 0; i < count; ++i) emit tick(i);
    answer.insert(QLatin1String("ok"), QJsonValue::Null);
  } else {
    answer.insert(QLatin1String("error"), QStringLiteral("no command named ") + cmd);
  }
  emit reply(QString::fromUtf8(QJsonDocument(answer).toJson(QJsonDocument::Compact)));
}

naive_app::naive_app() {
  profile_ = new QWebEngineProfile(QStringLiteral("myapp-bench-naive"));
  view_ = std::make_unique<QWebEngineView>();
  page_ = new QWebEnginePage(profile_, view_.get());
  view_->setPage(page_);
  object_ = new naive_object(page_);
  channel_ = new QWebChannel(page_);
  channel_->registerObject(QStringLiteral("naive"), object_);
  page_->setWebChannel(channel_);
  QObject::connect(page_, &QWebEnginePage::loadFinished, page_,
                   [this](bool ok) { load_ok_ = load_ok_ && ok; });
  view_->resize(800, 600);
  view_->load(QUrl(QStringLiteral("qrc:/naive/index.html")));
  // Shown, like the myapp window: Chromium throttles timers of hidden pages.
  view_->show();
}

naive_app::~naive_app() {
  // QtWebEngine wants the page gone before its profile.
  view_.reset();
  delete profile_;
}

}  // namespace bench
