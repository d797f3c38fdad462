#pragma once
// Who may hand messages to the sms channel: a gateway at an allowed address that knows the
// shared secret (Kannel), or a platform that signs its JSON with the shared key (webhook).
// Secrets are compared in constant time (core/hmac). Pure.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/core/result.hpp"

namespace intake::channels::sms {

/// Addresses ("127.0.0.1", "::1") and IPv4/IPv6 networks ("10.0.0.0/8") a gateway may call from.
class address_allow_list {
 public:
  /// Throws std::invalid_argument on an entry that is not an address or network (startup).
  explicit address_allow_list(const std::vector<std::string>& entries);
  /// Empty list: every address is allowed.
  bool allows(std::string_view address) const;

 private:
  struct network {
    int family;                 // AF_INET or AF_INET6
    unsigned char bytes[16]{};  // network address
    int prefix = 0;             // bits that must match
  };
  std::vector<network> networks_;
};

/// The gateway check: forbidden (403) from an address not on the list; unauthorized (401) when
/// the secret is missing or wrong. An empty `expected_secret` means no secret is configured.
core::result<void> check_gateway(const address_allow_list& allowed, std::string_view address,
                                 std::string_view expected_secret,
                                 std::optional<std::string_view> presented_secret);

/// Checks a signature header over the raw body: the HMAC-SHA256 in hex (any case, optionally
/// after "sha256=") or base64. unauthorized when missing or wrong.
core::result<void> check_signature(std::string_view key, std::string_view body,
                                   std::optional<std::string_view> signature);

}  // namespace intake::channels::sms
