// Attachments: any bytes are sniffed; signed-link checks refuse anything not signed; any bytes
// are read as a sealed media file (intakectl open --media takes files from anywhere), and sealing
// then opening gives back the same bytes.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "common/media/media_type.hpp"
#include "common/media/media_url.hpp"
#include "common/media/sealed_media.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view in(reinterpret_cast<const char*>(data), size);
  (void)intake::media::sniff_media_type(in);
  static const auto keys = *intake::privacy::generate_key_pair();
  (void)intake::media::read_sealed_media_header(in);
  (void)intake::media::open_sealed_media(in, keys);
  const auto sealed = intake::media::seal_media(in, "image/jpeg", keys.pub);
  if (!sealed) __builtin_trap();  // the key was fine
  const auto opened = intake::media::open_sealed_media(*sealed, keys);
  if (!opened || opened->bytes != in) __builtin_trap();  // sealing lost or changed bytes
  static const intake::media::media_url_signer signer("fuzz-key-0123456789abcdef", "https://x",
                                                      std::chrono::hours(1));
  const auto split = in.find('&');
  const std::string_view exp = in.substr(0, split);
  const std::string_view sig = split == std::string_view::npos ? "" : in.substr(split + 1);
  if (signer.verify(std::string(64, 'a'), exp, sig, intake::core::from_unix_ms(0))) {
    __builtin_trap();  // a forged link was accepted
  }
  return 0;
}
