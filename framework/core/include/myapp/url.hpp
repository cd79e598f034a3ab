// myapp — the origin of a URL, written once for the core and the runtime.
//
//     myapp::origin_of("myapp://localhost/index.html");    // "myapp://localhost"
//     myapp::origin_of("http://localhost:5173/src/main.ts"); // "http://localhost:5173"
//     myapp::origin_of("https://user:pw@Docs.Example.com/a?b#c"); // "https://docs.example.com"
//     myapp::origin_of("http://[::1]:8080/");              // "http://[::1]:8080"
//     myapp::origin_of("about:blank");                     // "about://"
//     myapp::origin_of("not a url");                       // ""
//
// It reads URLs as QUrl::toString() writes them (the page URLs and request initiators the
// runtime sees) and gives what QUrl's scheme()://host()[:port()] gives for them, except that
// an IPv6 host keeps its brackets, as in a browser's Origin header. It is not a validator: a
// host is checked only for characters no host may contain.
#pragma once

#include <string>
#include <string_view>

namespace myapp {

/// The origin of `url`: `scheme://host[:port]`.
///
/// - The scheme and the host are in lower case (ASCII); user info, path, query and fragment
///   are dropped. A default port is kept as written (`http://a:80/` → `http://a:80`).
/// - The port is written as a number: `:0080` → `:80`; an empty port (`http://a:/`) is none.
/// - A URL without an authority (`about:blank`, `data:...`, `file:///x`) has an empty host:
///   `about://`, `data://`, `file://`.
/// - Empty when `url` does not start with a scheme (`[A-Za-z][A-Za-z0-9+.-]*:`), or when its
///   authority is malformed: a port that is not a number up to 65535, an unclosed `[`, a
///   space, `%`, `<`, `@`... in the host.
[[nodiscard]] std::string origin_of(std::string_view url);

}  // namespace myapp
