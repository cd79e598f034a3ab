// The origin of a URL (myapp/url.hpp): the forms the runtime meets, and what is not a URL.
#include <gtest/gtest.h>

#include "myapp/url.hpp"

namespace {

using myapp::origin_of;

TEST(Origin, AppScheme) {
  EXPECT_EQ(origin_of("myapp://localhost/index.html"), "myapp://localhost");
  EXPECT_EQ(origin_of("myapp://localhost"), "myapp://localhost");
  EXPECT_EQ(origin_of("myapp://localhost/__myapp/blob/abc?x#y"), "myapp://localhost");
  EXPECT_EQ(origin_of("MYAPP://LocalHost/x"), "myapp://localhost");
}

TEST(Origin, HttpWithAndWithoutPort) {
  EXPECT_EQ(origin_of("http://localhost:5173/"), "http://localhost:5173");
  EXPECT_EQ(origin_of("http://localhost:5173"), "http://localhost:5173");
  EXPECT_EQ(origin_of("http://127.0.0.1:4000/src/main.ts?t=1"), "http://127.0.0.1:4000");
  EXPECT_EQ(origin_of("http://example.com/a/b"), "http://example.com");
  EXPECT_EQ(origin_of("ws://127.0.0.1:4000/lane"), "ws://127.0.0.1:4000");
}

TEST(Origin, Https) {
  EXPECT_EQ(origin_of("https://docs.example.com/a/b?x=1#top"), "https://docs.example.com");
  EXPECT_EQ(origin_of("HTTPS://Docs.Example.COM/"), "https://docs.example.com");
  EXPECT_EQ(origin_of("https://docs.example.com?x"), "https://docs.example.com");
  EXPECT_EQ(origin_of("https://docs.example.com#x"), "https://docs.example.com");
}

TEST(Origin, PortsAsQUrlReadsThem) {
  // A default port is kept as written; the number is normalised; an empty port is none.
  EXPECT_EQ(origin_of("https://example.com:443/"), "https://example.com:443");
  EXPECT_EQ(origin_of("http://h:0080/"), "http://h:80");
  EXPECT_EQ(origin_of("http://h:0/"), "http://h:0");
  EXPECT_EQ(origin_of("http://h:/"), "http://h");
  EXPECT_EQ(origin_of("http://h:65535/"), "http://h:65535");
  EXPECT_EQ(origin_of("http://h:65536/"), "");
  EXPECT_EQ(origin_of("http://h:99999/"), "");
  EXPECT_EQ(origin_of("http://h:12a/"), "");
  EXPECT_EQ(origin_of("http://h:-1/"), "");
  EXPECT_EQ(origin_of("http://h:80:90/"), "");
}

TEST(Origin, UserInfoIsNoPartOfIt) {
  EXPECT_EQ(origin_of("https://user:secret@docs.example.com:8443/x"), "https://docs.example.com:8443");
  EXPECT_EQ(origin_of("http://@h/"), "http://h");
}

TEST(Origin, Ipv6KeepsItsBrackets) {
  EXPECT_EQ(origin_of("http://[::1]:5173/"), "http://[::1]:5173");
  EXPECT_EQ(origin_of("http://[::1]/"), "http://[::1]");
  EXPECT_EQ(origin_of("http://[::FFFF:1.2.3.4]/"), "http://[::ffff:1.2.3.4]");
  EXPECT_EQ(origin_of("http://[::1]:/"), "http://[::1]");
  EXPECT_EQ(origin_of("http://[::1/"), "");
  EXPECT_EQ(origin_of("http://[::1]x/"), "");
  EXPECT_EQ(origin_of("http://[]/"), "");
}

TEST(Origin, NoAuthorityMeansNoHost) {
  EXPECT_EQ(origin_of("about:blank"), "about://");
  EXPECT_EQ(origin_of("about:srcdoc"), "about://");
  EXPECT_EQ(origin_of("data:text/html,hi"), "data://");
  EXPECT_EQ(origin_of("file:///tmp/x.html"), "file://");
  EXPECT_EQ(origin_of("file://host/x"), "file://host");
  EXPECT_EQ(origin_of("http:"), "http://");
  EXPECT_EQ(origin_of("http:///x"), "http://");
}

TEST(Origin, EmptyAndGarbage) {
  EXPECT_EQ(origin_of(""), "");
  EXPECT_EQ(origin_of("not a url"), "");
  EXPECT_EQ(origin_of("null"), "");
  EXPECT_EQ(origin_of("://x"), "");
  EXPECT_EQ(origin_of("1http://h/"), "");
  EXPECT_EQ(origin_of("h ttp://x/"), "");
  EXPECT_EQ(origin_of("http://a b/"), "");
  EXPECT_EQ(origin_of("http://h<x/"), "");
  EXPECT_EQ(origin_of("http://h%20/"), "");
  EXPECT_EQ(origin_of(std::string_view("http://h\0x/", 11)), "");
  EXPECT_EQ(origin_of("a+b.c://h/"), "a+b.c://h");
}

TEST(Origin, NonAsciiHostsAsWritten) {
  // QUrl::toString() writes an IDN in Unicode; its bytes are kept (lower case is ASCII only).
  EXPECT_EQ(origin_of("http://bücher.de/x"), "http://bücher.de");
  EXPECT_EQ(origin_of("http://xn--bcher-kva.de/"), "http://xn--bcher-kva.de");
}

}  // namespace
