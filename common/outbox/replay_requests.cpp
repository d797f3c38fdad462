#include "common/outbox/replay_requests.hpp"

#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "common/core/durable_file.hpp"

namespace intake::outbox {

namespace {

namespace fs = std::filesystem;

std::string requests_dir(const std::string& data_dir) {
  return data_dir + "/requests";
}

std::string read_all(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace

core::result<std::string> write_replay_request(const std::string& data_dir,
                                               const std::string& event_id) {
  const std::string dir = requests_dir(data_dir);
  if (auto made = core::make_directories(dir); !made) return tl::unexpected(made.error());
  // Time first, so the names sort in the order the requests were made.
  const auto now_us = std::chrono::duration_cast<std::chrono::microseconds>(
                          std::chrono::system_clock::now().time_since_epoch())
                          .count();
  const std::string id = std::to_string(now_us) + "-" + std::to_string(::getpid());
  if (auto written = core::write_file_durably(dir + "/replay-" + id + ".request", event_id, 0640);
      !written) {
    return tl::unexpected(written.error());
  }
  return id;
}

std::vector<replay_request> pending_replay_requests(const std::string& data_dir) {
  std::vector<replay_request> out;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(requests_dir(data_dir), ec)) {
    const std::string name = entry.path().filename().string();
    constexpr std::string_view prefix = "replay-", suffix = ".request";
    if (name.size() <= prefix.size() + suffix.size() || name.rfind(prefix, 0) != 0 ||
        name.compare(name.size() - suffix.size(), suffix.size(), suffix) != 0) {
      continue;
    }
    std::string event_id = read_all(entry.path().string());
    while (!event_id.empty() && (event_id.back() == '\n' || event_id.back() == '\r')) {
      event_id.pop_back();
    }
    out.push_back({name.substr(prefix.size(), name.size() - prefix.size() - suffix.size()),
                   std::move(event_id)});
  }
  std::sort(out.begin(), out.end(),
            [](const replay_request& a, const replay_request& b) { return a.id < b.id; });
  return out;
}

core::result<void> answer_replay_request(const std::string& data_dir, const replay_request& request,
                                         const core::result<std::int64_t>& outcome) {
  const std::string base = requests_dir(data_dir) + "/replay-" + request.id;
  const std::string answer = outcome ? "replayed " + std::to_string(*outcome) + "\n"
                                     : "error " + outcome.error().message + "\n";
  if (auto written = core::write_file_durably(base + ".done", answer, 0640); !written) {
    return written;
  }
  std::error_code ec;
  fs::remove(base + ".request", ec);
  return {};
}

std::optional<core::result<std::int64_t>> read_replay_answer(const std::string& data_dir,
                                                             const std::string& id) {
  const std::string path = requests_dir(data_dir) + "/replay-" + id + ".done";
  std::error_code ec;
  if (!fs::exists(path, ec)) return std::nullopt;
  const std::string text = read_all(path);
  fs::remove(path, ec);
  std::int64_t count = 0;
  if (text.rfind("replayed ", 0) == 0 &&
      std::from_chars(text.data() + 9, text.data() + text.size(), count).ec == std::errc()) {
    return count;
  }
  return core::result<std::int64_t>(
      core::fail(core::errc::internal, text.rfind("error ", 0) == 0 ? text.substr(6) : text));
}

}  // namespace intake::outbox
