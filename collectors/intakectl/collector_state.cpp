#include "collectors/intakectl/collector_state.hpp"

#include <fstream>
#include <sstream>

#include "common/core/clock.hpp"

namespace intake::ctl {

collector_state read_collector_state(const std::string& data_dir) {
  collector_state state;
  std::ifstream in(data_dir + "/collector.state.json");
  std::stringstream ss;
  ss << in.rdbuf();
  state.doc.Parse(ss.str().c_str());
  if (state.doc.HasParseError() || !state.doc.IsObject()) {
    state.doc.SetObject();
    return state;
  }
  if (state.doc.HasMember("updated_ms") && state.doc["updated_ms"].IsInt64()) {
    const auto age = core::to_unix_ms(core::system_now()) - state.doc["updated_ms"].GetInt64();
    state.running = age < 5000;
  }
  return state;
}

}  // namespace intake::ctl
