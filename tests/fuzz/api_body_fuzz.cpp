// The api channel's JSON body decoder: any bytes get a submission or a typed error.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "channels/api/api_decode.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  auto decoded = intake::channels::api::decode_submission(
      "application/json; charset=utf-8", body, std::string_view("key"),
      intake::core::from_unix_ms(1'700'000'000'000));
  if (!decoded && decoded.error().message.empty()) __builtin_trap();  // errors must say why
  return 0;
}
