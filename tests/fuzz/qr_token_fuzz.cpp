// QR tokens from the street: any path segment is refused unless signed with our key.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "channels/qrcode/qr_token.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const intake::channels::qrcode::qr_signer signer("fuzz-qr-key-0123456789abcdef");
  const std::string_view token(reinterpret_cast<const char*>(data), size);
  if (signer.verify(token)) __builtin_trap();  // a forged code was accepted
  return 0;
}
