// The TOML configuration: any text loads or throws config_error listing its problems.
#include <cstddef>
#include <cstdint>
#include <string>

#include "channels/channel.hpp"
#include "common/config/config.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const auto keys = intake::channels::all_config_keys();
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    intake::config::config::load_string(text, "fuzz.toml", keys);
  } catch (const intake::config::config_error& e) {
    if (e.problems().empty()) __builtin_trap();  // a refusal names at least one problem
  }
  return 0;
}
