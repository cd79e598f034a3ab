// Scenarios `router` and `coroutines`: the core router alone, fed batches of invokes
// (router_bench.hpp).
#include "router_bench.hpp"

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <memory>
#include <string>
#include <vector>

#include "myapp/acl.hpp"
#include "myapp/router.hpp"

namespace bench {

namespace {

class counting_session final : public myapp::session {
 public:
  [[nodiscard]] const myapp::caller_info& caller() const noexcept override { return info_; }
  void send(std::string message) override {
    ++messages_;
    if (message.find(R"("ok":3})") == std::string::npos) ++wrong_;
  }
  [[nodiscard]] std::uint64_t messages() const noexcept { return messages_; }
  void reset() noexcept {
    messages_ = 0;
    wrong_ = 0;
  }
  [[nodiscard]] std::uint64_t wrong() const noexcept { return wrong_; }

 private:
  myapp::caller_info info_{"bench", "myapp://localhost/index.html", "myapp://localhost", true};
  std::uint64_t messages_ = 0;
  std::uint64_t wrong_ = 0;
};

constexpr int BATCH = 100;
constexpr int BATCHES = 1000;  // built ahead, so the clock sees only the router

}  // namespace

router_result run_router_bench(std::chrono::milliseconds duration, const router_setup& setup) {
  myapp::router router(myapp::router_options{.run_inline = true});
  router.add("add", [](int a, int b) { return a + b; }, {"a", "b"});
  for (int i = 0; i < setup.extra_commands && !setup.with_acl; ++i) {
    router.add("cmd_" + std::to_string(i), [] { return 0; });
  }
  if (setup.idle_trace) {
    static std::atomic<std::uint64_t> traced{0};
    myapp::router_trace t;
    t.batch = [](const myapp::batch_trace&) { traced.fetch_add(1, std::memory_order_relaxed); };
    t.message = [](const myapp::message_trace&) { traced.fetch_add(1, std::memory_order_relaxed); };
    t.invoke = [](const myapp::invoke_trace&) { traced.fetch_add(1, std::memory_order_relaxed); };
    t.denied = [](const myapp::denial_trace&) { traced.fetch_add(1, std::memory_order_relaxed); };
    router.set_trace(std::move(t));
    router.set_trace_active(false);
  }
  std::uint64_t heard = 0;
  for (int i = 0; i < setup.listeners; ++i) {
    router.listen("bench:e" + std::to_string(i), [&heard](const myapp::event&) { ++heard; });
  }
  if (setup.with_acl) {
    // 999 more commands, and 100 capabilities for windows matching the page's label, each
    // granting ten commands (one of them grants `add`), plus deny entries elsewhere.
    for (int i = 0; i < 999; ++i) router.add("cmd_" + std::to_string(i), [] { return 0; });
    std::vector<myapp::acl::source> caps;
    for (int c = 0; c < 100; ++c) {
      std::string perms;
      for (int k = 0; k < 10; ++k) {
        const int n = c * 10 + k;
        perms += (perms.empty() ? "" : ",") +
                 (n == 999 ? std::string(R"("allow-add")")
                           : R"("allow-cmd_)" + std::to_string(n) + "\"");
      }
      caps.push_back({"capabilities/c" + std::to_string(c) + ".json",
                      R"({"identifier":"c)" + std::to_string(c) + R"(","windows":["bench*","w)" +
                          std::to_string(c) + R"(-*"],"permissions":[)" + perms + "]}"});
    }
    auto loaded = myapp::acl::policy::load(caps, {}, router.command_names());
    if (!loaded.ok()) return {};
    router.set_policy(std::make_shared<const myapp::acl::policy>(std::move(*loaded.value)));
  }

  // Ids are unique per page load: each pass over the prepared batches is a fresh session.
  std::vector<std::string> batches;
  batches.reserve(BATCHES);
  std::uint64_t id = 0;
  std::uint64_t invokes_per_pass = 0;
  for (int b = 0; b < BATCHES; ++b) {
    std::string text = "[";
    for (int i = 0; i < BATCH; ++i) {
      if (i != 0) text += ',';
      if (setup.emits && i % 2 == 1) {
        text += R"({"k":"emit","event":"bench:e0","payload":{"a":1,"b":2}})";
        continue;
      }
      ++invokes_per_pass;
      text += R"({"k":"invoke","id":)" + std::to_string(++id) +
              R"(,"cmd":"add","args":{"a":1,"b":2}})";
    }
    text += ']';
    batches.push_back(std::move(text));
  }
  const std::uint64_t invokes_per_batch = invokes_per_pass / BATCHES;

  using clock = std::chrono::steady_clock;
  router_result result;
  std::uint64_t sent = 0;
  std::uint64_t invokes = 0;
  std::uint64_t answered = 0;
  std::uint64_t wrong = 0;
  const auto start = clock::now();
  auto elapsed = clock::duration::zero();
  while (elapsed < duration) {
    auto session = std::make_shared<counting_session>();
    router.receive(R"([{"k":"hello","v":1}])", session);  // resolves the page's grants
    session->reset();
    for (const auto& batch : batches) {
      router.receive(batch, session);
      sent += BATCH;
      invokes += invokes_per_batch;
      if ((sent / BATCH) % 64 == 0 && clock::now() - start >= duration) break;
    }
    answered += session->messages();
    wrong += session->wrong();
    elapsed = clock::now() - start;
  }
  const double seconds = std::chrono::duration<double>(elapsed).count();
  result.messages_per_s = static_cast<double>(sent) / seconds;
  const std::uint64_t emits = sent - invokes;
  result.ok = answered == invokes && wrong == 0 && (setup.listeners == 0 || heard == emits);
  return result;
}

namespace {
// Counts answers from worker threads and lets the bench wait for the last.
class waiting_session final : public myapp::session {
 public:
  [[nodiscard]] const myapp::caller_info& caller() const noexcept override { return info_; }
  void send(std::string message) override {
    std::lock_guard lock(mutex_);
    if (message.find(R"("ok":)") != std::string::npos) ++answered_;
    done_.notify_all();
  }
  bool wait_for(std::uint64_t n, std::chrono::seconds limit) {
    std::unique_lock lock(mutex_);
    return done_.wait_for(lock, limit, [&] { return answered_ >= n; });
  }

 private:
  myapp::caller_info info_{"bench", "myapp://localhost/index.html", "myapp://localhost", true};
  std::mutex mutex_;
  std::condition_variable done_;
  std::uint64_t answered_ = 0;
};
}  // namespace

coroutine_result run_coroutine_bench(int calls, std::chrono::milliseconds sleep) {
  myapp::router router(myapp::router_options{
      .workers = 2, .max_pending_per_page = static_cast<std::size_t>(calls) + 1});
  router.add("nap", [](int ms) -> myapp::task<int> {
    co_await myapp::sleep(std::chrono::milliseconds(ms));
    co_return ms;
  }, {"ms"});
  std::string batch = "[";
  for (int i = 1; i <= calls; ++i) {
    if (i != 1) batch += ',';
    batch += R"({"k":"invoke","id":)" + std::to_string(i) + R"(,"cmd":"nap","args":{"ms":)" +
             std::to_string(sleep.count()) + "}}";
  }
  batch += ']';
  auto session = std::make_shared<waiting_session>();
  const auto start = std::chrono::steady_clock::now();
  router.receive(batch, session);
  const bool all = session->wait_for(static_cast<std::uint64_t>(calls), std::chrono::seconds(120));
  const auto wall = std::chrono::steady_clock::now() - start;
  router.close_session(session);
  return {std::chrono::duration<double, std::milli>(wall).count(), all};
}

}  // namespace bench
