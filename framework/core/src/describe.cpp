// Descriptions of the registered commands and events (describe.hpp, router::describe).
#include "myapp/describe.hpp"

#include <cxxabi.h>
#include <fmt/format.h>

#include <algorithm>
#include <cstdlib>
#include <deque>
#include <memory>
#include <set>
#include <typeindex>

#include "myapp/router.hpp"

namespace myapp {

namespace api {

std::string detail::cpp_name(const std::type_info& t) {
  int status = 0;
  std::unique_ptr<char, void (*)(void*)> name(
      abi::__cxa_demangle(t.name(), nullptr, nullptr, &status), std::free);
  return status == 0 && name ? std::string(name.get()) : std::string(t.name());
}

namespace {

// "ns::file_info" → "FileInfo"; "ns::box<int>" → "Box".
std::string ts_name(std::string_view cpp) {
  if (auto lt = cpp.find('<'); lt != std::string_view::npos) cpp = cpp.substr(0, lt);
  if (auto colons = cpp.rfind("::"); colons != std::string_view::npos) cpp = cpp.substr(colons + 2);
  std::string out;
  bool upper = true;
  for (char c : cpp) {
    const bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    if (!alnum) {
      upper = true;
      continue;
    }
    if (upper && c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    upper = false;
    out.push_back(c);
  }
  if (out.empty() || (out.front() >= '0' && out.front() <= '9')) out.insert(0, "T");
  return out;
}

// Gives every struct met in the types reachable from the roots one name and one definition.
class collector {
 public:
  void visit(type_ref& t) {
    for (auto& inner : t.of) visit(inner);
    if (t.kind != "struct" || t.cpp == nullptr) return;
    const std::type_index key(*t.cpp);
    auto it = names_.find(key);
    if (it == names_.end()) {
      std::string name = ts_name(t.name);
      const std::string base = name;
      for (int n = 2; taken_.contains(name); ++n) name = base + std::to_string(n);
      taken_.insert(name);
      it = names_.emplace(key, name).first;
      type_def def;
      def.name = name;
      def.cpp = t.name;
      pending_.push_back({std::move(def), t.fields});
    }
    t.name = it->second;
  }

  // Fills in the fields of every struct found, and of the structs those fields use.
  std::vector<type_def> finish() {
    std::vector<type_def> out;
    while (!pending_.empty()) {
      auto [def, fields] = std::move(pending_.front());
      pending_.pop_front();
      if (fields != nullptr) fields(def.fields);
      for (auto& f : def.fields) visit(f.type);
      out.push_back(std::move(def));
    }
    std::sort(out.begin(), out.end(),
              [](const type_def& a, const type_def& b) { return a.name < b.name; });
    return out;
  }

 private:
  std::map<std::type_index, std::string> names_;
  std::set<std::string> taken_;
  std::deque<std::pair<type_def, void (*)(std::vector<field>&)>> pending_;
};

const std::set<std::string, std::less<>>& leaf_kinds() {
  static const std::set<std::string, std::less<>> kinds = {
      "boolean", "integer", "number", "string", "null", "unknown", "bytes", "struct"};
  return kinds;
}
const std::set<std::string, std::less<>>& wrapper_kinds() {
  static const std::set<std::string, std::less<>> kinds = {"optional", "array", "map", "channel"};
  return kinds;
}

std::optional<std::string> check_type(const type_ref& t, const std::set<std::string>& structs,
                                      const std::string& where, int depth = 0) {
  if (depth > 64) return where + ": types nested more than 64 deep";
  if (wrapper_kinds().contains(t.kind)) {
    if (t.of.size() != 1) {
      return fmt::format("{}: a type of kind \"{}\" needs exactly one element type in \"of\"",
                         where, t.kind);
    }
    return check_type(t.of.front(), structs, where, depth + 1);
  }
  if (!leaf_kinds().contains(t.kind)) return fmt::format("{}: unknown type kind \"{}\"", where, t.kind);
  if (!t.of.empty()) return fmt::format("{}: a type of kind \"{}\" has no element type", where, t.kind);
  if (t.kind == "struct" && !structs.contains(t.name)) {
    return fmt::format("{}: the struct \"{}\" is not among the types", where, t.name);
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::string> check(const document& doc) {
  if (doc.version != DESCRIPTION_VERSION) {
    return fmt::format("version {} is not supported (this is version {})", doc.version,
                       DESCRIPTION_VERSION);
  }
  std::set<std::string> structs;
  for (const auto& t : doc.types) {
    if (t.name.empty()) return std::string("types: a struct without a name");
    if (!structs.insert(t.name).second) return fmt::format("types: \"{}\" twice", t.name);
  }
  for (const auto& t : doc.types) {
    for (const auto& f : t.fields) {
      if (auto p = check_type(f.type, structs, fmt::format("types.{}.{}", t.name, f.name))) return p;
    }
  }
  for (const auto& c : doc.commands) {
    if (c.name.empty()) return std::string("commands: a command without a name");
    if (c.whole_struct && (c.args.size() != 1 || c.args.front().type.kind != "struct")) {
      return fmt::format("commands.{}: whole_struct needs exactly one struct argument", c.name);
    }
    for (const auto& a : c.args) {
      if (a.name.empty() && !c.whole_struct) {
        return fmt::format("commands.{}: an argument without a name", c.name);
      }
      if (auto p = check_type(a.type, structs, fmt::format("commands.{}.{}", c.name, a.name))) return p;
    }
    if (auto p = check_type(c.returns, structs, fmt::format("commands.{}.returns", c.name))) return p;
  }
  for (const auto& e : doc.events) {
    if (!is_valid_event_name(e.name)) return fmt::format("events: invalid event name \"{}\"", e.name);
    if (auto p = check_type(e.payload, structs, fmt::format("events.{}", e.name))) return p;
  }
  return std::nullopt;
}

result<document> parse_document(std::string_view json_text) {
  // Nesting grows with the types (two levels per element type): allow more than for messages.
  auto doc = json::parse<document>(json_text, 512);
  if (!doc.has_value()) return doc;
  if (auto problem = check(doc.value())) return error("describe.invalid", *problem);
  return doc;
}

}  // namespace api

void router::declare_event_type(std::string name, api::type_ref payload) {
  if (closed_.load()) throw setup_error::registration_closed(name);
  if (!is_valid_event_name(name)) {
    throw setup_error(fmt::format(
        "myapp: invalid event name `{}`: use 1 to 128 characters from [A-Za-z0-9-/:_]", name));
  }
  if (events_.contains(name)) {
    throw setup_error(fmt::format("myapp: event `{}` is declared twice", name));
  }
  events_.emplace(std::move(name), std::move(payload));
}

std::string router::describe() const {
  api::document doc;
  api::collector types;
  for (const auto& [name, d] : described_) {  // a std::map: sorted by name
    api::command c;
    c.name = name;
    d.fill(c, d.keys, d.whole_struct);
    for (auto& a : c.args) types.visit(a.type);
    types.visit(c.returns);
    if (c.rejects) types.visit(*c.rejects);
    c.raw_body = d.raw_body;
    c.errors = d.errors;
    std::sort(c.errors.begin(), c.errors.end());
    c.errors.erase(std::unique(c.errors.begin(), c.errors.end()), c.errors.end());
    doc.commands.push_back(std::move(c));
  }
  for (const auto& [name, payload] : events_) {
    api::event_def e;
    e.name = name;
    e.payload = payload;
    types.visit(e.payload);
    doc.events.push_back(std::move(e));
  }
  doc.types = types.finish();
  auto text = json::to_json(doc);
  // Names come from C++ identifiers and validated command names: always valid UTF-8.
  return text.has_value() ? std::move(text).value() : std::string("{}");
}

}  // namespace myapp
