#include "tests/integration/support/mosquitto_sub_client.hpp"

#include <chrono>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace intake::testing {

namespace {
constexpr auto subscribe_deadline = std::chrono::seconds(10);
}

mosquitto_sub_client::mosquitto_sub_client(std::uint16_t broker_port, std::string client_id,
                                           std::filesystem::path output_file,
                                           const std::string& topic_filter)
    : port_(broker_port), client_id_(std::move(client_id)), output_file_(std::move(output_file)) {
  const std::string port = std::to_string(port_);
  const std::string probe_topic = "probe/" + client_id_;
  process_ = child_process::spawn(
      {"/usr/bin/mosquitto_sub", "-h", "127.0.0.1", "-p", port, "-V", "mqttv311", "-i", client_id_,
       "-c", "-q", "1", "-t", topic_filter, "-t", probe_topic},
      output_file_);
  // mosquitto_sub says nothing when its subscription is granted: publish to its probe topic
  // until the probe comes back.
  const auto deadline = std::chrono::steady_clock::now() + subscribe_deadline;
  while (std::chrono::steady_clock::now() < deadline) {
    if (!process_.running()) break;
    run_command({"/usr/bin/mosquitto_pub", "-h", "127.0.0.1", "-p", port, "-q", "1", "-t",
                 probe_topic, "-m", "probe-" + client_id_},
                output_file_.string() + ".probe");
    if (read_file(output_file_).find("probe-" + client_id_) != std::string::npos) return;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  throw std::runtime_error("mosquitto_sub " + client_id_ + " did not subscribe; output:\n" +
                           read_file(output_file_));
}

std::vector<std::string> mosquitto_sub_client::payloads() const {
  std::vector<std::string> out;
  std::istringstream lines(read_file(output_file_));
  const std::string probe = "probe-" + client_id_;
  for (std::string line; std::getline(lines, line);) {
    if (!line.empty() && line != probe) out.push_back(std::move(line));
  }
  return out;
}

}  // namespace intake::testing
