// Events: from pages (emit, emitTo) and from C++, to the pages that listen and to C++
// listeners; and `webview`, the calling page as handlers see it.
#include <fmt/format.h>

#include <stdexcept>

#include "router_impl.hpp"
#include "text.hpp"

namespace myapp {

using detail::quoted_name;

namespace {
bool listens(session& p, std::string_view event) {
  auto& s = detail::state_of(p);
  std::lock_guard lock(s.mutex);
  return !s.closed && s.listening.find(event) != s.listening.end();
}
}  // namespace

void router::handle(const wire::in::emit_event& m, batch& b) {
  if (!permitted(m.target ? acl::EVENT_EMIT_TO : acl::EVENT_EMIT, b)) return;
  if (m.target && m.target->empty()) {
    b.fault(errc::protocol_invalid, b.at("`target` must not be empty"));
    return;
  }
  emit_json(m.target.value_or(std::string_view()), m.event, m.payload, b.from->caller().label);
}

void router::emit_json(std::string_view target, std::string_view event,
                       std::string_view payload_json, std::string_view source) {
  if (!is_valid_event_name(event)) {
    throw std::invalid_argument(fmt::format(
        "myapp: `{}` is not a valid event name: use 1 to 128 characters from [A-Za-z0-9-/:_]",
        quoted_name(event)));
  }
  if (!target.empty() && !json::is_valid_utf8(target)) {
    throw std::invalid_argument("myapp: an event target must be valid UTF-8");
  }
  const std::uint64_t id = next_event_.fetch_add(1);
  const std::string message = wire::event(event, id, payload_json);
  if (message.size() > options_.max_message_to_page) {
    // No page could read it (V8's limit on one string): refused before anyone hears it, as an
    // answer that large is.
    throw std::length_error(fmt::format(
        "myapp: the event `{}` is {} bytes, more than a page can read ({} bytes, "
        "router_options::max_message_to_page): send bytes through a channel instead",
        quoted_name(event), message.size(), options_.max_message_to_page));
  }
  for (const auto& p : live_sessions()) {
    if (!target.empty() && p->caller().label != target) continue;
    if (listens(*p, event)) p->send(message);
  }

  // C++ listeners, called outside the lock so that they may listen and unlisten themselves.
  std::vector<std::shared_ptr<std::function<void(const myapp::event&)>>> calls;
  {
    std::lock_guard lock(listeners_mutex_);
    auto& table = *listeners_;
    if (auto list = table.by_event.find(event); list != table.by_event.end()) {
      std::erase_if(list->second, [&](const listener_table::listener& l) {
        const bool match = !l.target ? target.empty()
                                     : *l.target == "*" || (!target.empty() && *l.target == target);
        if (!match) return false;
        calls.push_back(l.fn);
        if (l.once) table.event_of.erase(l.id);
        return l.once;
      });
      if (list->second.empty()) table.by_event.erase(list);
    }
  }
  if (calls.empty()) return;
  myapp::event ev{std::string(event), id, std::string(payload_json), std::string(source),
                  std::string(target)};
  // A listener's exception stops neither the others nor the emitter: event payloads come from
  // pages, and a listener that trusts them too much must not end the app.
  for (const auto& fn : calls) {
    try {
      (*fn)(ev);
    } catch (const std::exception& e) {
      report_fault(app_fault{"listener", event, source, e.what()});
    } catch (...) {
      report_fault(app_fault{"listener", event, source, "an exception that is not a std::exception"});
    }
  }
}

bool router::emit_to_session(const std::shared_ptr<session>& to, std::string_view event,
                             std::string_view payload_json) {
  if (!is_valid_event_name(event)) {
    throw std::invalid_argument(fmt::format("myapp: `{}` is not a valid event name",
                                            quoted_name(event)));
  }
  if (!to || !listens(*to, event)) return false;
  to->send(wire::event(event, next_event_.fetch_add(1), payload_json));
  return true;
}

listener_id router::listen(std::string_view event, std::function<void(const myapp::event&)> fn,
                           listen_options options) {
  if (!is_valid_event_name(event)) {
    throw std::invalid_argument(fmt::format("myapp: `{}` is not a valid event name",
                                            quoted_name(event)));
  }
  auto id = next_listener_.fetch_add(1);
  std::lock_guard lock(listeners_mutex_);
  listeners_->add(event, {id, std::move(options.target), false,
                          std::make_shared<std::function<void(const myapp::event&)>>(
                              std::move(fn))});
  return id;
}

listener_id router::once(std::string_view event, std::function<void(const myapp::event&)> fn,
                         listen_options options) {
  auto id = listen(event, std::move(fn), std::move(options));
  std::lock_guard lock(listeners_mutex_);
  if (auto* l = listeners_->find(id)) l->once = true;
  return id;
}

bool router::unlisten(listener_id id) {
  std::lock_guard lock(listeners_mutex_);
  return listeners_->remove(id);
}

std::string webview::label() const {
  auto p = page_.lock();
  return p ? p->caller().label : std::string();
}

std::string webview::url() const {
  auto p = page_.lock();
  return p ? p->caller().url : std::string();
}

bool webview::emit_json(std::string_view event, std::string_view payload_json) const {
  return router_->emit_to_session(page_.lock(), event, payload_json);
}

}  // namespace myapp
