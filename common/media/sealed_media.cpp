#include "common/media/sealed_media.hpp"

#include "common/privacy/sealed_box.hpp"

namespace intake::media {

namespace {

constexpr std::string_view magic = "intake-edge-sealed-media/1 ";
// A media type is short ("application/pdf"); a longer line is not one of ours.
constexpr std::size_t max_header_length = 128;

bool is_media_type_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '/' ||
         c == '.' || c == '+' || c == '-';
}

}  // namespace

std::optional<sealed_media_header> read_sealed_media_header(std::string_view file_start) {
  if (!file_start.starts_with(magic)) return std::nullopt;
  const auto end = file_start.substr(0, max_header_length).find('\n');
  if (end == std::string_view::npos || end == magic.size()) return std::nullopt;
  const std::string_view type = file_start.substr(magic.size(), end - magic.size());
  for (char c : type) {
    if (!is_media_type_char(c)) return std::nullopt;
  }
  return sealed_media_header{std::string(type), end + 1};
}

std::uint64_t sealed_media_size(std::string_view media_type, std::uint64_t plain_size) {
  return magic.size() + media_type.size() + 1 + crypto_box_SEALBYTES + plain_size;
}

core::result<std::string> seal_media(std::string_view bytes, std::string_view media_type,
                                     const privacy::public_key& recipient) {
  auto box = privacy::seal_bytes(bytes, recipient);
  if (!box) return core::fail(box.error().code, "an attachment could not be sealed");
  std::string file;
  file.reserve(sealed_media_size(media_type, bytes.size()));
  file.append(magic);
  file.append(media_type);
  file.push_back('\n');
  file.append(*box);
  return file;
}

core::result<opened_media> open_sealed_media(std::string_view file, const privacy::key_pair& keys) {
  const auto header = read_sealed_media_header(file);
  if (!header) {
    return core::fail(core::errc::invalid_field, "not a sealed media file");
  }
  auto bytes = privacy::open_bytes(file.substr(header->length), keys);
  if (!bytes) {
    return core::fail(core::errc::invalid_field,
                      "the sealed media does not open with this key (another recipient, cut "
                      "short or altered)");
  }
  return opened_media{header->media_type, std::move(*bytes)};
}

}  // namespace intake::media
