#pragma once
// `miniprogram`: the county's WeChat mini-program (CONTRACT.md §3): POST /mp/v1/session,
// POST /mp/v1/submissions, POST /mp/v1/media, GET /mp/v1/submissions/{tracking_number}.
#include <memory>
#include <vector>

#include "channels/channel.hpp"

namespace intake::channels::miniprogram {

std::vector<config::key_spec> config_keys();
std::unique_ptr<channel> make_channel();

}  // namespace intake::channels::miniprogram
