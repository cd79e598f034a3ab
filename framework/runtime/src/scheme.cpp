#include "scheme.hpp"

#include <QBuffer>
#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QMimeDatabase>
#include <QRegularExpression>
#include <QUrl>
#include <QWebEngineUrlRequestJob>
#include <QWebEngineUrlScheme>

#include "api_modules.hpp"
#include "app_acl.hpp"
#include "blobs.hpp"
#include "log.hpp"
#include "myapp/app.hpp"
#include "myapp/config.hpp"
#include "myapp/url.hpp"

namespace myapp::runtime {

void register_schemes() {
  QWebEngineUrlScheme scheme(QByteArray(APP_SCHEME.data(), static_cast<qsizetype>(APP_SCHEME.size())));
  scheme.setSyntax(QWebEngineUrlScheme::Syntax::Host);
  // Secure: pages get a secure context (crypto.subtle, module workers, ...). CORS-enabled:
  // module scripts and `crossorigin` assets load from it.
  auto flags = QWebEngineUrlScheme::SecureScheme | QWebEngineUrlScheme::CorsEnabled;
#if QT_VERSION >= QT_VERSION_CHECK(6, 6, 0)
  // fetch() of blobs (docs/bytes.md); older Qt refuses fetch on custom schemes.
  flags |= QWebEngineUrlScheme::FetchApiAllowed;
#endif
  scheme.setFlags(flags);
  QWebEngineUrlScheme::registerScheme(scheme);
}

app_scheme_handler::app_scheme_handler(QString resource_prefix, QObject* parent)
    : QWebEngineUrlSchemeHandler(parent), prefix_(std::move(resource_prefix)) {
  while (prefix_.endsWith(QLatin1Char('/'))) prefix_.chop(1);
}

QByteArray app_scheme_handler::mime_type(const QString& path) {
  static const QHash<QString, QByteArray> types = {
      {QStringLiteral("html"), "text/html; charset=utf-8"},
      {QStringLiteral("htm"), "text/html; charset=utf-8"},
      {QStringLiteral("js"), "text/javascript; charset=utf-8"},
      {QStringLiteral("mjs"), "text/javascript; charset=utf-8"},
      {QStringLiteral("css"), "text/css; charset=utf-8"},
      {QStringLiteral("json"), "application/json"},
      {QStringLiteral("map"), "application/json"},
      {QStringLiteral("webmanifest"), "application/manifest+json"},
      {QStringLiteral("svg"), "image/svg+xml"},
      {QStringLiteral("png"), "image/png"},
      {QStringLiteral("jpg"), "image/jpeg"},
      {QStringLiteral("jpeg"), "image/jpeg"},
      {QStringLiteral("gif"), "image/gif"},
      {QStringLiteral("webp"), "image/webp"},
      {QStringLiteral("avif"), "image/avif"},
      {QStringLiteral("ico"), "image/x-icon"},
      {QStringLiteral("woff"), "font/woff"},
      {QStringLiteral("woff2"), "font/woff2"},
      {QStringLiteral("ttf"), "font/ttf"},
      {QStringLiteral("otf"), "font/otf"},
      {QStringLiteral("wasm"), "application/wasm"},
      {QStringLiteral("txt"), "text/plain; charset=utf-8"},
      {QStringLiteral("xml"), "application/xml"},
      {QStringLiteral("mp3"), "audio/mpeg"},
      {QStringLiteral("mp4"), "video/mp4"},
      {QStringLiteral("webm"), "video/webm"},
      {QStringLiteral("pdf"), "application/pdf"},
  };
  const QString ext = QFileInfo(path).suffix().toLower();
  if (auto it = types.find(ext); it != types.end()) return *it;
  const auto type = QMimeDatabase().mimeTypeForFile(path, QMimeDatabase::MatchExtension);
  if (!type.isDefault()) return type.name().toUtf8();
  return "application/octet-stream";
}

QString app_scheme_handler::resolve(const QString& root_in, const QString& url_path) {
  QString root = root_in;
  while (root.size() > 1 && root.endsWith(QLatin1Char('/'))) root.chop(1);
  // cleanPath resolves "." and ".." without leaving the root: "/../x" becomes "/x".
  const QString path = QDir::cleanPath(QLatin1Char('/') + url_path);
  if (path.contains(QChar(0))) return {};
  QString file = root + path;
  QFileInfo info(file);
  if (info.isDir()) {
    file = root + (path == QLatin1String("/") ? QString() : path) + QStringLiteral("/index.html");
  } else if (!info.exists() && QFileInfo(path).suffix().isEmpty()) {
    file = root + QStringLiteral("/index.html");
  }
  if (!root.startsWith(QLatin1Char(':'))) {
    // A directory on disk: the file's real path must lie inside the root's real path, so that
    // a symbolic link cannot lead out of it either.
    const QString real_root = QFileInfo(root).canonicalFilePath();
    const QString real_file = QFileInfo(file).canonicalFilePath();
    if (real_root.isEmpty() || real_file.isEmpty()) return {};
    if (!real_file.startsWith(real_root + QLatin1Char('/'))) return {};
    if (!QFileInfo(real_file).isFile()) return {};
    return real_file;
  }
  return QFileInfo(file).isFile() ? file : QString();
}

QByteArray app_scheme_handler::with_csp(const QByteArray& html, const QString& csp) {
  const QByteArray meta = "<meta http-equiv=\"Content-Security-Policy\" content=\"" +
                          csp.toHtmlEscaped().toUtf8() + "\">";
  // Right after <head ...>, so that it governs everything the page loads; before anything else
  // when the page has no head element.
  const int head = html.indexOf("<head");
  if (head >= 0) {
    const int end = html.indexOf('>', head);
    if (end >= 0) return html.left(end + 1) + meta + html.mid(end + 1);
  }
  return meta + html;
}

QStringList app_scheme_handler::import_map_hashes(const QByteArray& html) {
  static const QRegularExpression import_map(
      QStringLiteral(R"(<script\b[^>]*\btype\s*=\s*["']?importmap["']?[^>]*>(.*?)</script\s*>)"),
      QRegularExpression::CaseInsensitiveOption | QRegularExpression::DotMatchesEverythingOption);
  QStringList out;
  auto it = import_map.globalMatch(QString::fromUtf8(html));
  while (it.hasNext()) {
    const QByteArray digest =
        QCryptographicHash::hash(it.next().captured(1).toUtf8(), QCryptographicHash::Sha256);
    out << QStringLiteral("'sha256-%1'").arg(QString::fromLatin1(digest.toBase64()));
  }
  return out;
}

namespace {
// A buffer serving a blob's bytes where they are, kept alive as long as the job reads them.
class blob_buffer final : public QBuffer {
 public:
  blob_buffer(bytes data, QObject* parent) : QBuffer(parent), data_(std::move(data)) {
    setData(QByteArray::fromRawData(reinterpret_cast<const char*>(data_.data()),
                                    static_cast<qsizetype>(data_.size())));
  }

 private:
  bytes data_;
};
}  // namespace

void app_scheme_handler::serve_blob(QWebEngineUrlRequestJob* job, const QString& token) {
  std::string why;
  const std::string initiator = myapp::origin_of(job->initiator().toString().toStdString());
  auto data = blobs().take(token.toStdString(), initiator, why);
  if (!data) {
    log()->warn("app scheme: refused blob {}: {}", token.left(8).toStdString() + "...", why);
    job->fail(QWebEngineUrlRequestJob::RequestDenied);
    return;
  }
  auto* buffer = new blob_buffer(std::move(*data), job);
  buffer->open(QIODevice::ReadOnly);
  job->reply("application/octet-stream", buffer);
}

void app_scheme_handler::serve_api(QWebEngineUrlRequestJob* job, const QString& file) {
  const std::string name = file.toStdString();
  auto text = name.find('/') == std::string::npos ? api_module(name) : std::nullopt;
  if (!text && !name.ends_with(".js")) text = api_module(name + ".js");
  if (!text) {
    log()->warn("app scheme: {}{} not found: @myapp/api has no such module", API_PATH, name);
    job->fail(QWebEngineUrlRequestJob::UrlNotFound);
    return;
  }
  // The modules are compiled in: served where they are, without a copy.
  auto* buffer = new QBuffer(job);
  buffer->setData(QByteArray::fromRawData(text->data(), static_cast<qsizetype>(text->size())));
  buffer->open(QIODevice::ReadOnly);
  job->reply("text/javascript; charset=utf-8", buffer);
}

void app_scheme_handler::requestStarted(QWebEngineUrlRequestJob* job) {
  const QUrl url = job->requestUrl();
  if (const QString path = url.path(); path.startsWith(QLatin1String(BLOB_PATH.data(),
                                                                       BLOB_PATH.size())) &&
                                       url.host() == QLatin1String("localhost") &&
                                       job->requestMethod() == "GET") {
    serve_blob(job, path.mid(static_cast<qsizetype>(BLOB_PATH.size())));
    return;
  }
  if (job->requestMethod() != "GET") {
    log()->warn("app scheme: {} {} refused: only GET is served",
                job->requestMethod().toStdString(), url.toString().toStdString());
    job->fail(QWebEngineUrlRequestJob::RequestDenied);
    return;
  }
  if (url.host() != QLatin1String("localhost")) {
    log()->warn("app scheme: {} refused: the frontend is served from {}",
                url.toString().toStdString(), APP_ORIGIN);
    job->fail(QWebEngineUrlRequestJob::UrlNotFound);
    return;
  }
  // The app's files are its own pages': a page from another origin (a remote page a capability
  // lets in, a data: or sandboxed frame) may not read them. A navigation the app starts has no
  // initiator.
  if (const QUrl initiator = job->initiator(); !initiator.isEmpty()) {
    const std::string origin = myapp::origin_of(initiator.toString().toStdString());
    const bool devtools = initiator.scheme() == QLatin1String("devtools");
    if (origin != APP_ORIGIN && !devtools && !is_local_url(initiator.toString().toStdString())) {
      log(area::acl)->warn("app scheme: {} refused to {}: the app's files are served to its own "
                           "pages only",
                           url.toString().toStdString(), origin.empty() ? "(no origin)" : origin);
      job->fail(QWebEngineUrlRequestJob::RequestDenied);
      return;
    }
  }
  if (const QString path = url.path(QUrl::FullyDecoded);
      path.startsWith(QLatin1String(API_PATH.data(), static_cast<qsizetype>(API_PATH.size())))) {
    serve_api(job, path.mid(static_cast<qsizetype>(API_PATH.size())));
    return;
  }
  // The rest of /__myapp/ is the runtime's (the inspector's page has a profile of its own):
  // never a file of the frontend.
  if (url.path(QUrl::FullyDecoded).startsWith(QLatin1String("/__myapp/"))) {
    log()->warn("app scheme: {} not found: /__myapp/ is myapp's own", url.toString().toStdString());
    job->fail(QWebEngineUrlRequestJob::UrlNotFound);
    return;
  }
  const QString file = resolve(prefix_, url.path(QUrl::FullyDecoded));
  QFile f(file);
  if (file.isEmpty() || !f.open(QIODevice::ReadOnly)) {
    log()->warn("app scheme: {} not found under {}", url.toString().toStdString(),
                prefix_.toStdString());
    job->fail(QWebEngineUrlRequestJob::UrlNotFound);
    return;
  }
  auto* buffer = new QBuffer(job);
  const QByteArray mime = mime_type(file);
  if (!csp_.isEmpty() && mime.startsWith("text/html")) {
    // A page's import maps are inline scripts: the policy allows each by its hash, so that a
    // page needs no 'unsafe-inline' to map bare specifiers to /__myapp/api/.
    const QByteArray html = f.readAll();
    std::string csp = csp_.toStdString();
    for (const QString& hash : import_map_hashes(html)) {
      csp = config::csp_allow_script_hash(csp, hash.toStdString());
    }
    buffer->setData(with_csp(html, QString::fromStdString(csp)));
  } else {
    buffer->setData(f.readAll());
  }
  buffer->open(QIODevice::ReadOnly);
  job->reply(mime, buffer);
}

}  // namespace myapp::runtime
