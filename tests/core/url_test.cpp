// The origin of a URL (myapp/url.hpp): the forms the runtime meets, and what is not a URL.
#include <gtest/gtest.h>

#include <string_view>
#include <utility>
#include <vector>

#include "myapp/url.hpp"

namespace {

using cases = std::vector<std::pair<std::string_view, std::string_view>>;  // url, origin

void expect_origins(const cases& cs) {
  for (const auto& [url, origin] : cs) EXPECT_EQ(myapp::origin_of(url), origin) << url;
}

TEST(Origin, AppScheme) {
  expect_origins({{"myapp://localhost/index.html", "myapp://localhost"},
                  {"myapp://localhost", "myapp://localhost"},
                  {"myapp://localhost/__myapp/blob/abc?x#y", "myapp://localhost"},
                  {"MYAPP://LocalHost/x", "myapp://localhost"}});
}

TEST(Origin, HttpWithAndWithoutPort) {
  expect_origins({{"http://localhost:5173/", "http://localhost:5173"},
                  {"http://localhost:5173", "http://localhost:5173"},
                  {"http://127.0.0.1:4000/src/main.ts?t=1", "http://127.0.0.1:4000"},
                  {"http://example.com/a/b", "http://example.com"},
                  {"ws://127.0.0.1:4000/lane", "ws://127.0.0.1:4000"}});
}

TEST(Origin, Https) {
  expect_origins({{"https://docs.example.com/a/b?x=1#top", "https://docs.example.com"},
                  {"HTTPS://Docs.Example.COM/", "https://docs.example.com"},
                  {"https://docs.example.com?x", "https://docs.example.com"},
                  {"https://docs.example.com#x", "https://docs.example.com"}});
}

TEST(Origin, PortsAsQUrlReadsThem) {
  // A default port is kept as written; the number is normalised; an empty port is none.
  expect_origins({{"https://example.com:443/", "https://example.com:443"},
                  {"http://h:0080/", "http://h:80"},
                  {"http://h:0/", "http://h:0"},
                  {"http://h:/", "http://h"},
                  {"http://h:65535/", "http://h:65535"},
                  {"http://h:65536/", ""},
                  {"http://h:99999/", ""},
                  {"http://h:12a/", ""},
                  {"http://h:-1/", ""},
                  {"http://h:80:90/", ""}});
}

TEST(Origin, UserInfoIsNoPartOfIt) {
  expect_origins({{"https://user:secret@docs.example.com:8443/x", "https://docs.example.com:8443"},
                  {"http://@h/", "http://h"}});
}

TEST(Origin, Ipv6KeepsItsBrackets) {
  expect_origins({{"http://[::1]:5173/", "http://[::1]:5173"},
                  {"http://[::1]/", "http://[::1]"},
                  {"http://[::FFFF:1.2.3.4]/", "http://[::ffff:1.2.3.4]"},
                  {"http://[::1]:/", "http://[::1]"},
                  {"http://[::1/", ""},
                  {"http://[::1]x/", ""},
                  {"http://[]/", ""}});
}

TEST(Origin, NoAuthorityMeansNoHost) {
  expect_origins({{"about:blank", "about://"},
                  {"about:srcdoc", "about://"},
                  {"data:text/html,hi", "data://"},
                  {"file:///tmp/x.html", "file://"},
                  {"file://host/x", "file://host"},
                  {"http:", "http://"},
                  {"http:///x", "http://"}});
}

TEST(Origin, EmptyAndGarbage) {
  expect_origins({{"", ""},
                  {"not a url", ""},
                  {"null", ""},
                  {"://x", ""},
                  {"1http://h/", ""},
                  {"h ttp://x/", ""},
                  {"http://a b/", ""},
                  {"http://h<x/", ""},
                  {"http://h%20/", ""},
                  {std::string_view("http://h\0x/", 11), ""},
                  {"a+b.c://h/", "a+b.c://h"}});
}

TEST(Origin, NonAsciiHostsAsWritten) {
  // QUrl::toString() writes an IDN in Unicode; its bytes are kept (lower case is ASCII only).
  expect_origins({{"http://bücher.de/x", "http://bücher.de"},
                  {"http://xn--bcher-kva.de/", "http://xn--bcher-kva.de"}});
}

}  // namespace
