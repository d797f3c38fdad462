#include "tests/integration/support/wechat_standin.hpp"

#include <stdexcept>
#include <thread>

#include "tests/integration/support/http_client.hpp"
#include "tests/integration/support/json_fields.hpp"

namespace intake::testing {

wechat_standin::wechat_standin(const std::filesystem::path& work_dir,
                               const std::map<std::string, std::string>& apps) {
  const auto port_file = work_dir / "wechat-standin.port";
  std::filesystem::remove(port_file);
  const std::string script =
      std::string(INTAKE_SOURCE_DIR) + "/tests/integration/support/wechat_standin.py";
  std::vector<std::string> argv = {"/usr/bin/python3", script, "--port-file", port_file.string()};
  for (const auto& [appid, secret] : apps) {
    argv.push_back("--app");
    argv.push_back(appid + "=" + secret);
  }
  process_ = child_process::spawn(argv, work_dir / "wechat-standin.log");
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (std::chrono::steady_clock::now() < deadline) {
    const auto text = read_file(port_file);
    if (!text.empty()) {
      port_ = static_cast<std::uint16_t>(std::stoi(text));
      return;
    }
    if (!process_.running()) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  throw std::runtime_error("the WeChat stand-in did not start; see " +
                           (work_dir / "wechat-standin.log").string());
}

std::optional<std::int64_t> wechat_standin::calls(const std::string& endpoint) const {
  http_client client;
  auto res = client.get(base_url() + "/__control/stats");
  if (res.status != 200) return std::nullopt;
  const std::string pointer = "/" + endpoint;
  return json_int(res.body, pointer.c_str()).value_or(0);
}

void wechat_standin::expire_tokens() const {
  http_client client;
  auto res = client.post(base_url() + "/__control/expire_tokens", "", "application/json");
  if (res.status != 200) throw std::runtime_error("the stand-in did not expire its tokens");
}

void wechat_standin::set_fault(const std::string& mode) const {
  http_client client;
  auto res = client.post(base_url() + "/__control/fault", R"({"mode":")" + mode + "\"}",
                         "application/json");
  if (res.status != 200) throw std::runtime_error("the stand-in refused the fault " + mode);
}

}  // namespace intake::testing
