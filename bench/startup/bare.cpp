// The start-up baseline: what a Qt app does to show a page of its own with no framework. It
// serves the same frontend as the hello example (compiled in under :/myapp/frontend) from a
// custom scheme registered with the same flags, in one QWebEngineView on the default profile.
// The probe (probe.cpp) measures it exactly as it measures hello.
#include <QApplication>
#include <QBuffer>
#include <QFile>
#include <QFileInfo>
#include <QWebEngineProfile>
#include <QWebEngineUrlRequestJob>
#include <QWebEngineUrlScheme>
#include <QWebEngineUrlSchemeHandler>
#include <QWebEngineView>

namespace {

class resource_handler final : public QWebEngineUrlSchemeHandler {
 public:
  void requestStarted(QWebEngineUrlRequestJob* job) override {
    QFile f(QStringLiteral(":/myapp/frontend") + job->requestUrl().path());
    if (!f.open(QIODevice::ReadOnly)) {
      job->fail(QWebEngineUrlRequestJob::UrlNotFound);
      return;
    }
    const QString ext = QFileInfo(f.fileName()).suffix();
    const QByteArray mime = ext == QLatin1String("html") ? "text/html"
                            : ext == QLatin1String("js") ? "text/javascript"
                            : ext == QLatin1String("css") ? "text/css"
                                                          : "application/octet-stream";
    auto* buffer = new QBuffer(job);
    buffer->setData(f.readAll());
    buffer->open(QIODevice::ReadOnly);
    job->reply(mime, buffer);
  }
};

}  // namespace

int main(int argc, char** argv) {
  QWebEngineUrlScheme scheme("myapp");
  scheme.setSyntax(QWebEngineUrlScheme::Syntax::Host);
  scheme.setFlags(QWebEngineUrlScheme::SecureScheme | QWebEngineUrlScheme::CorsEnabled);
  QWebEngineUrlScheme::registerScheme(scheme);
  QCoreApplication::setAttribute(Qt::AA_ShareOpenGLContexts);
  QApplication app(argc, argv);
  resource_handler handler;
  QWebEngineProfile::defaultProfile()->installUrlSchemeHandler("myapp", &handler);
  QWebEngineView view;
  view.setWindowTitle(QStringLiteral("Hello from myapp"));
  view.resize(520, 360);
  view.load(QUrl(QStringLiteral("myapp://localhost/index.html")));
  view.show();
  return QApplication::exec();
}
