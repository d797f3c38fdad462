#pragma once
// `wechat`: the official account's server URL, GET|POST /wechat/{account} (CONTRACT.md §3).
#include <memory>
#include <vector>

#include "channels/channel.hpp"

namespace intake::channels::wechat {

std::vector<config::key_spec> config_keys();
std::unique_ptr<channel> make_channel();

}  // namespace intake::channels::wechat
