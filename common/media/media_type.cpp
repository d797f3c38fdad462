#include "common/media/media_type.hpp"

namespace intake::media {

namespace {

bool starts_with(std::string_view bytes, std::string_view magic, std::size_t at = 0) {
  return bytes.size() >= at + magic.size() && bytes.substr(at, magic.size()) == magic;
}

}  // namespace

std::optional<std::string_view> sniff_media_type(std::string_view bytes) {
  using namespace std::string_view_literals;
  if (starts_with(bytes, "\xFF\xD8\xFF"sv)) return "image/jpeg";
  if (starts_with(bytes, "\x89PNG\r\n\x1A\n"sv)) return "image/png";
  if (starts_with(bytes, "GIF87a"sv) || starts_with(bytes, "GIF89a"sv)) return "image/gif";
  if (starts_with(bytes, "RIFF"sv) && starts_with(bytes, "WEBP"sv, 8)) return "image/webp";
  if (starts_with(bytes, "%PDF-"sv)) return "application/pdf";
  // ISO BMFF: a box size, then "ftyp" and a brand; phones write heic/heix/mif1 brands.
  if (starts_with(bytes, "ftyp"sv, 4)) {
    for (auto brand : {"heic"sv, "heix"sv, "hevc"sv, "heim"sv, "heis"sv, "mif1"sv, "msf1"sv}) {
      if (starts_with(bytes, brand, 8)) return "image/heic";
    }
  }
  return std::nullopt;
}

}  // namespace intake::media
