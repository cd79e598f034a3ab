#include "router_bench.hpp"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "myapp/router.hpp"

namespace bench {

namespace {

class counting_peer final : public myapp::peer {
 public:
  [[nodiscard]] const myapp::caller_info& caller() const noexcept override { return info_; }
  void send(std::string message) override {
    ++messages_;
    if (message.find(R"("ok":3})") == std::string::npos) ++wrong_;
  }
  [[nodiscard]] std::uint64_t messages() const noexcept { return messages_; }
  [[nodiscard]] std::uint64_t wrong() const noexcept { return wrong_; }

 private:
  myapp::caller_info info_{"bench", "myapp://localhost/index.html", "myapp://localhost"};
  std::uint64_t messages_ = 0;
  std::uint64_t wrong_ = 0;
};

constexpr int BATCH = 100;
constexpr int BATCHES = 1000;  // built ahead, so the clock sees only the router

}  // namespace

router_result run_router_bench(std::chrono::milliseconds duration) {
  myapp::router router(myapp::router_options{.run_inline = true});
  router.add("add", [](int a, int b) { return a + b; }, {"a", "b"});

  // Ids are unique per page load: each pass over the prepared batches is a fresh peer.
  std::vector<std::string> batches;
  batches.reserve(BATCHES);
  std::uint64_t id = 0;
  for (int b = 0; b < BATCHES; ++b) {
    std::string text = "[";
    for (int i = 0; i < BATCH; ++i) {
      if (i != 0) text += ',';
      text += R"({"k":"invoke","id":)" + std::to_string(++id) +
              R"(,"cmd":"add","args":{"a":1,"b":2}})";
    }
    text += ']';
    batches.push_back(std::move(text));
  }

  using clock = std::chrono::steady_clock;
  router_result result;
  std::uint64_t sent = 0;
  std::uint64_t answered = 0;
  std::uint64_t wrong = 0;
  const auto start = clock::now();
  auto elapsed = clock::duration::zero();
  while (elapsed < duration) {
    auto peer = std::make_shared<counting_peer>();
    for (const auto& batch : batches) {
      router.receive(batch, peer);
      sent += BATCH;
      if ((sent / BATCH) % 64 == 0 && clock::now() - start >= duration) break;
    }
    answered += peer->messages();
    wrong += peer->wrong();
    elapsed = clock::now() - start;
  }
  const double seconds = std::chrono::duration<double>(elapsed).count();
  result.messages_per_s = static_cast<double>(sent) / seconds;
  result.ok = answered == sent && wrong == 0;
  return result;
}

}  // namespace bench
