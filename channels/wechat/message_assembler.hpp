#pragma once
// How a citizen's messages become submissions. WeChat delivers a report as several messages
// (text, then a photo, then a location); an assembler decides which belong together. Each
// message is answered with the tracking number of the submission it joined, once that number
// is durable.
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/core/clock.hpp"
#include "common/core/result.hpp"
#include "common/model/attachment.hpp"
#include "common/model/raw_submission.hpp"
#include "common/model/submission.hpp"
#include "common/pipeline/pipeline.hpp"

namespace intake::channels::wechat {

/// One message, decoded and verified, its photo already stored.
struct citizen_message {
  std::string openid;
  std::string replay_key;  // MsgId-based; the idempotency key of a lone message
  std::string text;
  std::optional<model::attachment> photo;
  bool photo_missing = false;  // an image whose bytes could not be fetched from WeChat
  std::optional<double> lat;
  std::optional<double> lon;
  std::optional<std::string> label;
  core::sys_time received_at{};
};

using assembled_fn = std::function<void(core::result<model::receipt>)>;

class message_assembler {
 public:
  virtual ~message_assembler() = default;
  /// Takes a message; `done` runs once, with the receipt of the submission it belongs to after
  /// that is durable (or the number reserved for it), or with the error that kept it out.
  virtual void add(citizen_message message, assembled_fn done) = 0;
  /// Hands over whatever is waiting (called before the pipeline stops).
  virtual void stop() {}
};

/// The submission of messages that belong together, in the order received.
model::raw_submission submission_of(const std::vector<citizen_message>& parts);

/// Every message is a submission of its own.
std::unique_ptr<message_assembler> make_single_assembler(pipeline::pipeline& pipeline);

}  // namespace intake::channels::wechat
