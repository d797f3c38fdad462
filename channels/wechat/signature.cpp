#include "channels/wechat/signature.hpp"

#include <algorithm>
#include <cctype>

#include "common/core/hmac.hpp"

namespace intake::channels::wechat {

std::string wechat_signature(std::vector<std::string_view> parts) {
  std::sort(parts.begin(), parts.end());
  std::string joined;
  for (auto p : parts) joined += p;
  return core::to_hex(core::sha1(joined));
}

bool signature_matches(std::string_view given_hex, std::vector<std::string_view> parts) {
  std::string given(given_hex);
  std::transform(given.begin(), given.end(), given.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return core::constant_time_equal(given, wechat_signature(std::move(parts)));
}

}  // namespace intake::channels::wechat
