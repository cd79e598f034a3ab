// Editing JSON text in place: the key path is walked in the text (position.cpp) and only the
// bytes of the array being changed are rewritten.
#include "myapp/json_edit.hpp"

#include <fmt/format.h>

#include "myapp/json.hpp"
#include "position.hpp"

namespace myapp::json_edit {

std::optional<std::string> syntax_problem(std::string_view text) {
  auto e = detail::find_syntax_error(text);
  if (!e) return std::nullopt;
  const auto at = detail::position_of(text, e->offset);
  return fmt::format("{}:{}: {}", at.line, at.column, e->message);
}

std::optional<span> find(std::string_view text, std::string_view path) {
  if (detail::find_syntax_error(text)) return std::nullopt;
  auto begin = detail::value_at(text, path);
  if (!begin) return std::nullopt;
  return span{*begin, detail::value_end(text, *begin)};
}

namespace {

// The elements of the array `a` of valid JSON `text`.
std::vector<span> elements_of(std::string_view text, span a) {
  std::vector<span> out;
  std::size_t i = detail::skip_space(text, a.begin + 1);
  while (i < a.end && text[i] != ']') {
    const std::size_t end = detail::value_end(text, i);
    out.push_back({i, end});
    i = detail::skip_space(text, end);
    if (i < a.end && text[i] == ',') i = detail::skip_space(text, i + 1);
  }
  return out;
}

std::optional<span> array_at(std::string_view text, std::string_view path) {
  auto a = find(text, path);
  if (!a || text[a->begin] != '[') return std::nullopt;
  return a;
}

}  // namespace

std::optional<std::vector<span>> elements(std::string_view text, std::string_view path) {
  auto a = array_at(text, path);
  if (!a) return std::nullopt;
  return elements_of(text, *a);
}

std::optional<std::string> string_at(std::string_view text, std::string_view path) {
  auto s = find(text, path);
  if (!s || text[s->begin] != '"') return std::nullopt;
  auto value = json::parse<std::string>(text.substr(s->begin, s->end - s->begin));
  if (!value) return std::nullopt;
  return std::move(value).value();
}

std::optional<std::string> append(std::string_view text, std::string_view path,
                                  std::string_view value) {
  auto a = array_at(text, path);
  if (!a) return std::nullopt;
  const auto items = elements_of(text, *a);
  std::string out(text);
  if (items.empty()) {
    out.replace(a->begin + 1, a->end - a->begin - 2, value);
    return out;
  }
  // The white space before the last element, after its comma (or after `[` for the only one).
  std::string_view gap;
  if (items.size() >= 2) {
    const std::size_t comma = text.find(',', items[items.size() - 2].end);
    gap = text.substr(comma + 1, items.back().begin - comma - 1);
  } else {
    gap = text.substr(a->begin + 1, items[0].begin - a->begin - 1);
  }
  const std::string separator = gap.find('\n') == std::string_view::npos ? " " : std::string(gap);
  out.insert(items.back().end, fmt::format(",{}{}", separator, value));
  return out;
}

std::optional<std::string> erase(std::string_view text, std::string_view path,
                                 std::size_t index) {
  auto a = array_at(text, path);
  if (!a) return std::nullopt;
  const auto items = elements_of(text, *a);
  if (index >= items.size()) return std::nullopt;
  std::string out(text);
  if (items.size() == 1) {
    out.erase(a->begin + 1, a->end - a->begin - 2);
  } else if (index + 1 == items.size()) {
    out.erase(items[index - 1].end, items[index].end - items[index - 1].end);
  } else {
    out.erase(items[index].begin, items[index + 1].begin - items[index].begin);
  }
  return out;
}

std::string quote(std::string_view s) {
  std::string out;
  json::write_string(out, s);
  return out;
}

}  // namespace myapp::json_edit
