// Dev mode in the runtime: the app scheme serving a folder (never anything outside it), the
// folder watcher that reloads pages, and URLs resolved against a dev server.
#include <gtest/gtest.h>

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QTemporaryDir>
#include <QThread>

#include "dev_reload.hpp"
#include "scheme.hpp"

namespace {

using myapp::runtime::app_scheme_handler;

void write(const QString& path, const QByteArray& content) {
  QDir().mkpath(QFileInfo(path).absolutePath());
  QFile f(path);
  ASSERT_TRUE(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
  f.write(content);
}

class SchemeFolder : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(tmp.isValid());
    base = QFileInfo(tmp.path()).canonicalFilePath();
    root = base + "/frontend";
    write(root + "/index.html", "<p>index</p>");
    write(root + "/sub/a.js", "1");
    write(base + "/secret.txt", "secret");
    write(base + "/frontend-evil/x.txt", "sibling");
    ASSERT_TRUE(QFile::link(base + "/secret.txt", root + "/link.txt"));
    ASSERT_TRUE(QFile::link(base, root + "/up"));
  }
  QTemporaryDir tmp;
  QString base, root;
};

TEST_F(SchemeFolder, ServesFilesInside) {
  EXPECT_EQ(app_scheme_handler::resolve(root, "/index.html"), root + "/index.html");
  EXPECT_EQ(app_scheme_handler::resolve(root, "/"), root + "/index.html");
  EXPECT_EQ(app_scheme_handler::resolve(root, "/sub/a.js"), root + "/sub/a.js");
  EXPECT_EQ(app_scheme_handler::resolve(root, "/settings"), root + "/index.html");  // SPA route
  EXPECT_EQ(app_scheme_handler::resolve(root, "/missing.css"), QString());
}

TEST_F(SchemeFolder, DotDotCannotLeaveTheRoot) {
  EXPECT_EQ(app_scheme_handler::resolve(root, "/../secret.txt"), QString());
  EXPECT_EQ(app_scheme_handler::resolve(root, "../secret.txt"), QString());
  EXPECT_EQ(app_scheme_handler::resolve(root, "/sub/../../secret.txt"), QString());
  EXPECT_EQ(app_scheme_handler::resolve(root, "/../../../../etc/passwd"), QString());
  EXPECT_EQ(app_scheme_handler::resolve(root, "/../frontend-evil/x.txt"), QString());
  // What "/sub/../index.html" means stays inside.
  EXPECT_EQ(app_scheme_handler::resolve(root, "/sub/../index.html"), root + "/index.html");
}

TEST_F(SchemeFolder, SymbolicLinksCannotLeaveTheRoot) {
  EXPECT_EQ(app_scheme_handler::resolve(root, "/link.txt"), QString());
  EXPECT_EQ(app_scheme_handler::resolve(root, "/up/secret.txt"), QString());
}

TEST(DevUrl, RelativeUrlsResolveAgainstTheDevServer) {
  using myapp::runtime::resolve_against;
  const QUrl base("http://localhost:5173");
  EXPECT_EQ(resolve_against(base, "index.html").toString(), "http://localhost:5173/index.html");
  EXPECT_EQ(resolve_against(base, "/settings").toString(), "http://localhost:5173/settings");
  EXPECT_EQ(resolve_against(QUrl("http://localhost:5173/app"), "index.html").toString(),
            "http://localhost:5173/app/index.html");
}

bool wait_until(const std::function<bool()>& done, int ms) {
  QElapsedTimer t;
  t.start();
  while (!done() && t.elapsed() < ms) {
    QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
    QThread::msleep(5);
  }
  return done();
}

TEST(DevReload, ReloadsOnceForABurstOfChanges) {
  QTemporaryDir tmp;
  const QString root = QFileInfo(tmp.path()).canonicalFilePath();
  write(root + "/index.html", "a");
  write(root + "/css/style.css", "a");
  int reloads = 0;
  myapp::runtime::dev_reloader r(root, [&] { ++reloads; });
  EXPECT_TRUE(r.watched().contains(root + "/css/style.css"));

  for (int i = 0; i < 3; ++i) write(root + "/css/style.css", QByteArray("b") + QByteArray::number(i));
  ASSERT_TRUE(wait_until([&] { return reloads >= 1; }, 3000));
  wait_until([] { return false; }, 400);  // nothing more comes
  EXPECT_EQ(reloads, 1);

  // A folder and a file created later are watched too.
  write(root + "/new/page.html", "x");
  ASSERT_TRUE(wait_until([&] { return reloads >= 2; }, 3000));
  wait_until([] { return false; }, 300);
  const int before = reloads;
  write(root + "/new/page.html", "y");
  EXPECT_TRUE(wait_until([&] { return reloads > before; }, 3000));
}

TEST(DevReload, FileReplacedByRenameStaysWatched) {
  QTemporaryDir tmp;
  const QString root = QFileInfo(tmp.path()).canonicalFilePath();
  write(root + "/index.html", "a");
  int reloads = 0;
  myapp::runtime::dev_reloader r(root, [&] { ++reloads; });
  // What many editors do: write a temporary file, rename it over the original.
  write(root + "/.index.html.tmp", "b");
  ASSERT_EQ(::rename((root + "/.index.html.tmp").toUtf8().constData(),
                     (root + "/index.html").toUtf8().constData()), 0);
  ASSERT_TRUE(wait_until([&] { return reloads >= 1; }, 3000));
  wait_until([] { return false; }, 300);
  const int before = reloads;
  write(root + "/index.html", "c");
  EXPECT_TRUE(wait_until([&] { return reloads > before; }, 3000));
}

}  // namespace

int main(int argc, char** argv) {
  QCoreApplication app(argc, argv);
  ::testing::InitGoogleTest(&argc, argv);
  return RUN_ALL_TESTS();
}
