// Raw e-mail messages through GMime and the channel's own repairs (encoded words, charsets,
// HTML, quote trimming): parsed or refused, never a crash or a hang.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "channels/email/mime_parser.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view raw(reinterpret_cast<const char*>(data), size);
  (void)intake::channels::email::parse_email(raw);
  return 0;
}
