// The backend of the Tauri-shaped sample frontend (sample/): the commands and events a Tauri
// app's Rust side would have, in C++. tests/sample.test.mjs checks the page in a real window.
#include <myapp/app.hpp>
#include <myapp/channel.hpp>

#include <stdexcept>
#include <string>

namespace sample {

// What the download channel carries, in the shape of Tauri's channel example.
struct download_event {
  std::string event;
  myapp::json::raw data;
};
MYAPP_STRUCT(download_event, event, data)

}  // namespace sample

int main(int argc, char** argv) {
  myapp::app app(argc, argv, {.name = "myapp-porting-sample"});
  app.command("greet", [](std::string name) {
    return "Hello, " + name + "! You have been greeted from C++.";
  }, {"name"});
  app.command("add_numbers", [](int first_number, int second_number) { return first_number + second_number; },
              {"first_number", "second_number"});
  // Tauri: Result<f64, String> and Err("division by zero".into()): the page's promise rejects
  // with the string itself.
  app.command("divide", [](double a, double b) -> myapp::result<double, std::string> {
    if (b == 0) return myapp::err("division by zero");
    return a / b;
  }, {"a", "b"});
  // Tauri: fn upload(request: tauri::ipc::Request) reading InvokeBody::Raw and a header.
  app.command("upload", [](const myapp::request& req) -> myapp::result<std::string, std::string> {
    auto name = req.header("x-file-name");
    if (!name) return myapp::err("missing X-File-Name header");
    return myapp::ok(std::string(*name) + ": " + std::to_string(req.body().size()) + " bytes");
  }, {}, {.raw_body = true});
  app.command("download", [](std::string url, myapp::channel<sample::download_event> on_event) {
    const std::string quoted_url = myapp::json::to_json(url).value();
    on_event.send({"started", {R"({"url":)" + quoted_url + R"(,"downloadId":1,"contentLength":3000})"}});
    for (int i = 0; i < 3; ++i) on_event.send({"progress", {R"({"downloadId":1,"chunkLength":1000})"}});
    on_event.send({"finished", {R"({"downloadId":1})"}});
    on_event.close();
  }, {"url", "on_event"});
  auto& router = app.get_router();
  app.command("start_ticks", [&router](int count) {
    for (int i = 0; i < count; ++i) router.emit_event("tick", i);
  }, {"count"});
  app.command("emit_twice", [&router](std::string event) {
    router.emit_event(event, 1);
    router.emit_event(event, 2);
  }, {"event"});
  app.listen("ping", [&router](const myapp::event& e) { router.emit_json({}, "pong", e.payload_json); });
  app.window({.label = "main", .title = "Tauri sample", .url = "index.html"});
  return app.run();
}
