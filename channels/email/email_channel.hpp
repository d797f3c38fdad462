#pragma once
// `email`: a citizens' mailbox polled over IMAP, answered over SMTP (issue #5).
#include <memory>
#include <vector>

#include "channels/channel.hpp"

namespace intake::channels::email {

std::vector<config::key_spec> config_keys();
std::unique_ptr<channel> make_channel();

}  // namespace intake::channels::email
