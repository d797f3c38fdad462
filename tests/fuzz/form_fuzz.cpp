// The web form's bodies: urlencoded and multipart (the first line of the input is the
// Content-Type, the rest the body). Any bytes are parsed within the limits or refused.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "channels/web/form_data.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view in(reinterpret_cast<const char*>(data), size);
  const auto eol = in.find('\n');
  const std::string_view content_type = in.substr(0, eol);
  const std::string_view body = eol == std::string_view::npos ? "" : in.substr(eol + 1);
  const intake::channels::web::form_limits limits;
  if (auto form = intake::channels::web::parse_form(content_type, body, limits)) {
    if (form->parts.size() > limits.max_parts) __builtin_trap();  // a limit was not kept
  }
  (void)intake::channels::web::parse_query(in);
  return 0;
}
