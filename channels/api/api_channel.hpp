#pragma once
// `api`: the generic JSON intake, POST /api/v1/submissions (CONTRACT.md §3).
#include <memory>
#include <vector>

#include "channels/channel.hpp"

namespace intake::channels::api {

std::vector<config::key_spec> config_keys();
std::unique_ptr<channel> make_channel();

}  // namespace intake::channels::api
