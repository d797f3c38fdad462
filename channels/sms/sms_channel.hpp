#pragma once
// `sms`: citizens' text messages through an SMS gateway. Kannel's sms-service calls
// GET|POST /sms/kannel; cloud SMS platforms POST signed JSON to /sms/webhook. Texts one sender
// sends in a row are joined (common/joiner); the citizen gets the tracking number back through
// Kannel's sendsms (common/reply). See README.md, "SMS".
#include <memory>
#include <vector>

#include "channels/channel.hpp"

namespace intake::channels::sms {

std::vector<config::key_spec> config_keys();
std::unique_ptr<channel> make_channel();

}  // namespace intake::channels::sms
