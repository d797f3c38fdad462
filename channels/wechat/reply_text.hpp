#pragma once
// What the citizen reads in WeChat after a message.
#include <string>

#include "common/model/submission.hpp"

namespace intake::channels::wechat {

/// The tracking number and, for an emergency, the number to call now.
std::string receipt_text(const model::receipt& r);

/// The answer to a message that cannot be a report (a video, a voice without recognition...).
std::string unsupported_text();

}  // namespace intake::channels::wechat
