// myapp-image: the CLI's image helper (the CLI itself stays Qt-free). Reads PNG, SVG and the
// other formats Qt's image plugins know, and writes an app's icon in the hicolor theme's sizes.
//
//   myapp-image info FILE...                         one line per file: "<format> <w> <h>"
//   myapp-image icons SOURCE OUT_DIR NAME SIZES      OUT_DIR/<S>x<S>/apps/NAME.png for each of
//                                                    the comma-separated SIZES up to the
//                                                    source's size (every size for an SVG)
//
// Exit codes: 0 done; 1 a file cannot be read or written (the reason on stderr); 2 the source
// is not square; 64 bad arguments.
#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QGuiApplication>
#include <QImage>
#include <QImageReader>
#include <QPainter>
#include <QStringList>

#if MYAPP_IMAGE_SVG
#include <QSvgRenderer>
#endif

#include <algorithm>
#include <cstdio>
#include <optional>
#include <string>

namespace {

void complain(const QString& text) {
  std::fprintf(stderr, "%s\n", text.toLocal8Bit().constData());
}

bool is_svg(const QString& file) {
  const QString ext = QFileInfo(file).suffix().toLower();
  return ext == QLatin1String("svg") || ext == QLatin1String("svgz");
}

struct source {
  QString format;
  QSize size;
  QImage image;  // raster sources
#if MYAPP_IMAGE_SVG
  std::optional<QRectF> view_box;  // SVG sources
#endif
};

// Reads `file`; an empty optional with the reason printed when it cannot be read.
std::optional<source> read_source(const QString& file) {
  const QFileInfo info(file);
  if (!info.exists()) {
    complain(QStringLiteral("%1: no such file").arg(file));
    return std::nullopt;
  }
  if (!info.isFile() || !info.isReadable()) {
    complain(QStringLiteral("%1: cannot be read").arg(file));
    return std::nullopt;
  }
  source s;
  if (is_svg(file)) {
#if MYAPP_IMAGE_SVG
    QSvgRenderer renderer(file);
    if (!renderer.isValid()) {
      complain(QStringLiteral("%1: not a valid SVG image").arg(file));
      return std::nullopt;
    }
    s.format = QStringLiteral("svg");
    const QRectF box = renderer.viewBoxF();
    s.size = box.isEmpty() ? renderer.defaultSize() : box.size().toSize();
    s.view_box = box;
    return s;
#else
    complain(QStringLiteral("%1: SVG icons need Qt SVG, which this myapp was built without "
                            "(Debian: apt-get install qt6-svg-dev, then rebuild myapp); use a "
                            "PNG instead")
                 .arg(file));
    return std::nullopt;
#endif
  }
  QImageReader reader(file);
  s.format = QString::fromLatin1(reader.format());
  if (!reader.read(&s.image)) {
    complain(QStringLiteral("%1: not an image Qt can read (%2)").arg(file, reader.errorString()));
    return std::nullopt;
  }
  s.size = s.image.size();
  return s;
}

QImage render(const source& s, const QString& file, int size) {
  QImage out(size, size, QImage::Format_ARGB32_Premultiplied);
  out.fill(Qt::transparent);
#if MYAPP_IMAGE_SVG
  if (s.view_box) {
    QSvgRenderer renderer(file);
    QPainter painter(&out);
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setRenderHint(QPainter::SmoothPixmapTransform);
    renderer.render(&painter, QRectF(0, 0, size, size));
    return out;
  }
#endif
  (void)file;
  if (s.image.width() == size) return s.image.convertToFormat(QImage::Format_ARGB32);
  return s.image.scaled(size, size, Qt::IgnoreAspectRatio, Qt::SmoothTransformation);
}

int info(const QStringList& files) {
  int code = 0;
  for (const auto& f : files) {
    auto s = read_source(f);
    if (!s) {
      code = 1;
      continue;
    }
    std::printf("%s %d %d\n", s->format.toLatin1().constData(), s->size.width(), s->size.height());
  }
  return code;
}

int icons(const QString& file, const QString& out_dir, const QString& name, const QString& sizes) {
  auto s = read_source(file);
  if (!s) return 1;
  if (s->size.width() != s->size.height()) {
    complain(QStringLiteral("%1 is %2x%3: an icon must be square (desktops show it in a square; "
                            "pad it to %4x%4 with a transparent border)")
                 .arg(file)
                 .arg(s->size.width())
                 .arg(s->size.height())
                 .arg(std::max(s->size.width(), s->size.height())));
    return 2;
  }
  const bool scalable = s->format == QLatin1String("svg");
  int written = 0;
  for (const auto& part : sizes.split(QLatin1Char(','), Qt::SkipEmptyParts)) {
    bool ok = false;
    const int size = part.toInt(&ok);
    if (!ok || size < 1 || size > 4096) {
      complain(QStringLiteral("bad size %1").arg(part));
      return 64;
    }
    if (!scalable && size > s->size.width()) continue;  // never scaled up: it would blur
    const QString dir = QStringLiteral("%1/%2x%2/apps").arg(out_dir).arg(size);
    const QString path = QStringLiteral("%1/%2.png").arg(dir, name);
    if (!QDir().mkpath(dir) || !render(*s, file, size).save(path, "PNG")) {
      complain(QStringLiteral("cannot write %1").arg(path));
      return 1;
    }
    std::printf("%s\n", path.toLocal8Bit().constData());
    ++written;
  }
  if (written == 0) {
    complain(QStringLiteral("%1 is %2x%2: too small for an icon (at least 16x16; 256x256 or "
                            "larger, or an SVG, looks sharp everywhere)")
                 .arg(file)
                 .arg(s->size.width()));
    return 1;
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  // No window is ever shown: the offscreen platform needs no display.
  qputenv("QT_QPA_PLATFORM", "offscreen");
  QGuiApplication app(argc, argv);
  QStringList args = QCoreApplication::arguments();
  args.removeFirst();
  if (args.size() >= 2 && args[0] == QLatin1String("info")) return info(args.mid(1));
  if (args.size() == 5 && args[0] == QLatin1String("icons")) {
    return icons(args[1], args[2], args[3], args[4]);
  }
  complain(QStringLiteral("usage: myapp-image info FILE... | myapp-image icons SOURCE OUT_DIR "
                          "NAME SIZES"));
  return 64;
}
