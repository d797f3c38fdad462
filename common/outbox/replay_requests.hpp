#pragma once
// `intakectl outbox replay` asks a running collector to put dead letters back in the queue
// through files in {data_dir}/requests/. The collector owns the outbox writer and the
// forwarder's read position, so it alone can replay while it runs; a file survives a restart
// of either side, and needs no listening socket that would have to be guarded.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/core/result.hpp"

namespace intake::outbox {

struct replay_request {
  std::string id;
  std::string event_id;  // empty: every dead letter
};

/// Writes a request durably; returns its id.
core::result<std::string> write_replay_request(const std::string& data_dir,
                                               const std::string& event_id);

/// The requests not yet answered, oldest first.
std::vector<replay_request> pending_replay_requests(const std::string& data_dir);

/// Answers a request (how many events went back in the queue, or why none did) and removes it.
core::result<void> answer_replay_request(const std::string& data_dir, const replay_request& request,
                                         const core::result<std::int64_t>& outcome);

/// The answer to request `id`, once there is one: the count, or the error.
std::optional<core::result<std::int64_t>> read_replay_answer(const std::string& data_dir,
                                                             const std::string& id);

}  // namespace intake::outbox
