#include "common/model/tracking_number.hpp"

#include <array>

namespace intake::model {

namespace {

// Crockford base32: no I, L, O, U, so nothing reads as 1, 0 or a rude word over the phone.
constexpr std::string_view alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
constexpr unsigned radix = 32;
constexpr std::size_t data_symbols = 12;
constexpr std::size_t total_symbols = data_symbols + 1;
constexpr std::size_t group = 4;
constexpr int region_shift = 40;
constexpr int node_shift = 32;
constexpr std::uint64_t region_mask = (std::uint64_t{1} << 20) - 1;
// Generous for spaced or hyphenated input; bounds the work on anything longer.
constexpr std::size_t max_input = 64;

constexpr int invalid_symbol = -1;
constexpr int skipped_symbol = -2;

int symbol_value(char c) {
  if (c == '-' || c == ' ') return skipped_symbol;
  if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  if (c == 'O') return 0;
  if (c == 'I' || c == 'L') return 1;
  const auto pos = alphabet.find(c);
  return pos == std::string_view::npos ? invalid_symbol : static_cast<int>(pos);
}

// Luhn mod N: doubling every second value from the right (with the carry folded back in) is a
// permutation of 0..N-1, so every single-symbol error changes the sum, and most adjacent
// transpositions do too.
unsigned luhn_addend(unsigned value, bool doubled) {
  unsigned v = doubled ? value * 2 : value;
  return v / radix + v % radix;
}

unsigned check_value(const std::array<unsigned, total_symbols>& values) {
  unsigned sum = 0;
  bool doubled = true;  // the check symbol will sit to the right, undoubled
  for (std::size_t i = data_symbols; i-- > 0;) {
    sum += luhn_addend(values[i], doubled);
    doubled = !doubled;
  }
  return (radix - sum % radix) % radix;
}

bool check_matches(const std::array<unsigned, total_symbols>& values) {
  unsigned sum = 0;
  bool doubled = false;
  for (std::size_t i = total_symbols; i-- > 0;) {
    sum += luhn_addend(values[i], doubled);
    doubled = !doubled;
  }
  return sum % radix == 0;
}

core::error invalid(std::string message) {
  return core::make_error(core::errc::invalid_field, std::move(message));
}

}  // namespace

std::string make_tracking_number(std::uint32_t region, std::uint8_t node, std::uint32_t serial) {
  const std::uint64_t payload = ((std::uint64_t{region} & region_mask) << region_shift) |
                                (std::uint64_t{node} << node_shift) | std::uint64_t{serial};
  std::array<unsigned, total_symbols> values{};
  for (std::size_t i = 0; i < data_symbols; ++i) {
    const int shift = static_cast<int>(5 * (data_symbols - 1 - i));
    values[i] = static_cast<unsigned>((payload >> shift) & (radix - 1));
  }
  values[data_symbols] = check_value(values);

  std::string out;
  out.reserve(total_symbols + data_symbols / group);
  for (std::size_t i = 0; i < total_symbols; ++i) {
    if (i > 0 && i % group == 0) out.push_back('-');
    out.push_back(alphabet[values[i]]);
  }
  return out;
}

core::result<tracking_parts> parse_tracking_number(std::string_view text) {
  if (text.size() > max_input) return tl::unexpected(invalid("tracking number is too long"));
  std::array<unsigned, total_symbols> values{};
  std::size_t count = 0;
  for (const char c : text) {
    const int v = symbol_value(c);
    if (v == skipped_symbol) continue;
    if (v == invalid_symbol) {
      return tl::unexpected(invalid("tracking number contains a character that is not allowed"));
    }
    if (count < total_symbols) values[count] = static_cast<unsigned>(v);
    ++count;
  }
  if (count != total_symbols) {
    return tl::unexpected(
        invalid("tracking number has the wrong length: expected 12 symbols and a check character"));
  }
  if (!check_matches(values)) {
    return tl::unexpected(invalid("tracking number check character does not match"));
  }
  std::uint64_t payload = 0;
  for (std::size_t i = 0; i < data_symbols; ++i) payload = (payload << 5) | values[i];
  tracking_parts parts{
      static_cast<std::uint32_t>(payload >> region_shift),
      static_cast<std::uint8_t>((payload >> node_shift) & 0xFF),
      static_cast<std::uint32_t>(payload & 0xFFFFFFFF),
  };
  if (parts.region > max_tracking_region) {
    return tl::unexpected(invalid("tracking number region is out of range"));
  }
  return parts;
}

core::result<std::string> canonical_tracking_number(std::string_view text) {
  return parse_tracking_number(text).map(
      [](const tracking_parts& p) { return make_tracking_number(p.region, p.node, p.serial); });
}

}  // namespace intake::model
