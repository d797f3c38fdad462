#include "channels/wechat/signature.hpp"

#include <algorithm>
#include <cctype>

#include "common/core/ascii.hpp"
#include "common/core/hmac.hpp"

namespace intake::channels::wechat {

std::string wechat_signature(std::vector<std::string_view> parts) {
  std::sort(parts.begin(), parts.end());
  std::string joined;
  for (auto p : parts) joined += p;
  return core::to_hex(core::sha1(joined));
}

bool signature_matches(std::string_view given_hex, std::vector<std::string_view> parts) {
  return core::constant_time_equal(core::ascii_lower(given_hex),
                                   wechat_signature(std::move(parts)));
}

}  // namespace intake::channels::wechat
