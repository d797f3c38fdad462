// Tracking numbers typed by citizens and operators: parsed or refused, and a parsed number
// prints back to a form that parses to the same parts.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "common/model/tracking_number.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view in(reinterpret_cast<const char*>(data), size);
  auto parts = intake::model::parse_tracking_number(in);
  if (!parts) return 0;
  const auto printed =
      intake::model::make_tracking_number(parts->region, parts->node, parts->serial);
  auto again = intake::model::parse_tracking_number(printed);
  if (!again || again->region != parts->region || again->node != parts->node ||
      again->serial != parts->serial) {
    __builtin_trap();
  }
  return 0;
}
