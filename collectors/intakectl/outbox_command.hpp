#pragma once
// `intakectl outbox list|show|replay`: what waits in the outbox, one event whole, and dead
// letters put back in the queue after the cause (broker ACL, payload limit) is fixed.
#include <ostream>
#include <string>
#include <vector>

namespace intake::ctl {

/// `words` starts with "outbox". `data_dir` is the collector's. Returns the exit status: 0 done,
/// 1 nothing found or the request failed, 2 usage error.
int run_outbox_command(const std::vector<std::string>& words, const std::string& data_dir,
                       bool json, std::ostream& out, std::ostream& err);

}  // namespace intake::ctl
