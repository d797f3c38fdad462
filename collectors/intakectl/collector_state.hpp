#pragma once
// The state file the collector rewrites every second ({data_dir}/collector.state.json): port,
// broker, last publish. A file older than a few seconds means the collector is not running.
#include <rapidjson/document.h>

#include <string>

namespace intake::ctl {

struct collector_state {
  rapidjson::Document doc;  // an object when the file was readable
  bool running = false;
};

collector_state read_collector_state(const std::string& data_dir);

}  // namespace intake::ctl
