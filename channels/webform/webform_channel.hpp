#pragma once
// `webform`: the citizen's web form, GET/POST /form (CONTRACT.md §3). The page, its checks and
// its answers are shared with the QR code pages (channels/web/).
#include <memory>
#include <vector>

#include "channels/channel.hpp"

namespace intake::channels::webform {

std::vector<config::key_spec> config_keys();
std::unique_ptr<channel> make_channel();

}  // namespace intake::channels::webform
