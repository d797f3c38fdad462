// WeChat pushes: the XML of a message, and the safe-mode Encrypt text, decrypted and round-tripped
// through encryption with WeChat's sample key.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "channels/wechat/message_crypto.hpp"
#include "channels/wechat/message_xml.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view in(reinterpret_cast<const char*>(data), size);
  (void)intake::channels::wechat::parse_message_xml(in);
  // WeChat's published sample EncodingAESKey.
  static const auto crypto = intake::channels::wechat::message_crypto::create(
      "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG", "wx5823bf96d3bd56c7");
  if (!crypto) __builtin_trap();
  // Whatever opens re-seals to the same message, and any message survives a round trip.
  if (auto opened = crypto->decrypt(in)) {
    auto again = crypto->decrypt(crypto->encrypt(*opened));
    if (!again || *again != *opened) __builtin_trap();
  }
  auto round_trip = crypto->decrypt(crypto->encrypt(in));
  if (!round_trip || *round_trip != in) __builtin_trap();
  return 0;
}
