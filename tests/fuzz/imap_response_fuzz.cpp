// A server's byte stream through the IDLE watcher's response reader and parser, cut into
// pieces at places the input chooses: whole responses or a limit error, never a crash, a hang
// or a buffer past the caps.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "channels/email/imap_response.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  // The first byte sets the piece size, as reads of any size may come from the network.
  const std::size_t piece = 1 + data[0] % 64;
  const std::string_view stream(reinterpret_cast<const char*>(data + 1), size - 1);
  intake::channels::email::response_limits limits;
  limits.max_line = 256;
  limits.max_literal = 512;
  limits.max_response = 2048;
  intake::channels::email::response_reader reader(limits);
  for (std::size_t at = 0; at < stream.size(); at += piece) {
    reader.feed(stream.substr(at, piece));
    while (true) {
      auto next = reader.next();
      if (!next) return 0;  // past a limit: the connection would be dropped
      if (!*next) break;
      if ((*next)->size() > limits.max_response) __builtin_trap();
      if (auto r = intake::channels::email::parse_response(**next))
        (void)intake::channels::email::capabilities_in(*r);
    }
    if (reader.buffered() > limits.max_response + piece) __builtin_trap();
  }
  return 0;
}
