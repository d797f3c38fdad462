#include "channels/sms/gateway_auth.hpp"

#include <arpa/inet.h>
#include <openssl/evp.h>

#include <cctype>
#include <cstring>
#include <optional>
#include <stdexcept>

#include "common/core/hmac.hpp"

namespace intake::channels::sms {

namespace {

struct parsed_address {
  int family = 0;
  unsigned char bytes[16]{};
};

std::optional<parsed_address> parse_address(std::string_view text) {
  parsed_address a;
  const std::string s(text);
  if (inet_pton(AF_INET, s.c_str(), a.bytes) == 1) {
    a.family = AF_INET;
    return a;
  }
  if (inet_pton(AF_INET6, s.c_str(), a.bytes) == 1) {
    a.family = AF_INET6;
    // An IPv4 client on a dual-stack socket appears as ::ffff:a.b.c.d: compare it as IPv4.
    static constexpr unsigned char mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
    if (std::memcmp(a.bytes, mapped, 12) == 0) {
      std::memmove(a.bytes, a.bytes + 12, 4);
      std::memset(a.bytes + 4, 0, 12);
      a.family = AF_INET;
    }
    return a;
  }
  return std::nullopt;
}

std::optional<std::string> decode_hex(std::string_view s) {
  if (s.size() % 2 != 0) return std::nullopt;
  std::string out;
  for (std::size_t i = 0; i < s.size(); i += 2) {
    auto nibble = [](char c) -> int {
      if (c >= '0' && c <= '9') return c - '0';
      c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      if (c >= 'a' && c <= 'f') return c - 'a' + 10;
      return -1;
    };
    const int hi = nibble(s[i]), lo = nibble(s[i + 1]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out += static_cast<char>(hi * 16 + lo);
  }
  return out;
}

std::optional<std::string> decode_base64(std::string_view s) {
  if (s.empty() || s.size() % 4 != 0) return std::nullopt;
  std::string out(s.size() / 4 * 3, '\0');
  const int n =
      EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                      reinterpret_cast<const unsigned char*>(s.data()), static_cast<int>(s.size()));
  if (n < 0) return std::nullopt;
  std::size_t pad = 0;
  if (s.back() == '=') ++pad;
  if (s.size() > 1 && s[s.size() - 2] == '=') ++pad;
  out.resize(static_cast<std::size_t>(n) - pad);
  return out;
}

}  // namespace

address_allow_list::address_allow_list(const std::vector<std::string>& entries) {
  for (const auto& entry : entries) {
    const auto slash = entry.find('/');
    auto address = parse_address(std::string_view(entry).substr(0, slash));
    if (!address) throw std::invalid_argument(entry + " is not an IP address or network");
    network n;
    n.family = address->family;
    std::memcpy(n.bytes, address->bytes, sizeof n.bytes);
    const int max_prefix = n.family == AF_INET ? 32 : 128;
    n.prefix = max_prefix;
    if (slash != std::string::npos) {
      const std::string bits = entry.substr(slash + 1);
      if (bits.empty() || bits.size() > 3 ||
          bits.find_first_not_of("0123456789") != std::string::npos ||
          std::stoi(bits) > max_prefix) {
        throw std::invalid_argument(entry + " has a bad prefix length");
      }
      n.prefix = std::stoi(bits);
    }
    networks_.push_back(n);
  }
}

bool address_allow_list::allows(std::string_view address) const {
  if (networks_.empty()) return true;
  auto a = parse_address(address);
  if (!a) return false;
  for (const auto& n : networks_) {
    if (n.family != a->family) continue;
    const int whole = n.prefix / 8, rest = n.prefix % 8;
    if (std::memcmp(n.bytes, a->bytes, static_cast<std::size_t>(whole)) != 0) continue;
    if (rest != 0) {
      const auto mask = static_cast<unsigned char>(0xFF << (8 - rest));
      if ((n.bytes[whole] & mask) != (a->bytes[whole] & mask)) continue;
    }
    return true;
  }
  return false;
}

core::result<void> check_gateway(const address_allow_list& allowed, std::string_view address,
                                 std::string_view expected_secret,
                                 std::optional<std::string_view> presented_secret) {
  if (!allowed.allows(address)) {
    return core::fail(core::errc::forbidden, "this address may not deliver messages");
  }
  if (expected_secret.empty()) return {};
  if (!presented_secret || presented_secret->empty()) {
    return core::fail(core::errc::unauthorized, "the gateway secret is missing");
  }
  if (!core::constant_time_equal(expected_secret, *presented_secret)) {
    return core::fail(core::errc::unauthorized, "the gateway secret is wrong");
  }
  return {};
}

core::result<void> check_signature(std::string_view key, std::string_view body,
                                   std::optional<std::string_view> signature) {
  if (!signature || signature->empty()) {
    return core::fail(core::errc::unauthorized, "the signature header is missing");
  }
  std::string_view presented = *signature;
  if (presented.rfind("sha256=", 0) == 0) presented.remove_prefix(7);
  std::optional<std::string> raw = presented.size() == 64 ? decode_hex(presented) : std::nullopt;
  if (!raw) raw = decode_base64(presented);
  const std::string expected = core::hmac_sha256(key, body);
  if (!raw || !core::constant_time_equal(expected, *raw)) {
    return core::fail(core::errc::unauthorized, "the signature does not match the body");
  }
  return {};
}

}  // namespace intake::channels::sms
