#pragma once
// WeChat's server signatures: SHA-1 (hex) of the parts sorted as strings and concatenated.
// `signature` signs (token, timestamp, nonce); safe mode's `msg_signature` adds the Encrypt text.
#include <string>
#include <string_view>
#include <vector>

namespace intake::channels::wechat {

std::string wechat_signature(std::vector<std::string_view> parts);

/// Compares in constant time; the hex may come in either case.
bool signature_matches(std::string_view given_hex, std::vector<std::string_view> parts);

}  // namespace intake::channels::wechat
