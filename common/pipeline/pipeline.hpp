#pragma once
// normalize → triage → dedup → outbox. The dedup decision is taken on the outbox's writer thread
// inside the batch transaction that stores the submission, so the decision and the record commit
// together; the sender's callback runs only after that commit.
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "common/core/metrics.hpp"
#include "common/core/result.hpp"
#include "common/model/raw_submission.hpp"
#include "common/model/submission.hpp"
#include "common/outbox/outbox.hpp"
#include "common/pipeline/normalize_submission.hpp"
#include "common/pipeline/submitter_ref.hpp"
#include "common/privacy/submitter_sealer.hpp"

namespace intake::pipeline {

struct ingest_context;

struct pipeline_options {
  std::string collector_id;
  std::string region;  // six digits
  std::uint8_t node = 0;
  std::string topic_prefix = "intake/v1";
  std::chrono::milliseconds dedup_window{72LL * 3600 * 1000};
  double similarity_threshold = 0.8;
  field_limits limits;
  /// How many of one submitter's recent records a near-duplicate check compares against.
  int recent_per_submitter = 32;
  /// Different people's reports of one place are linked within this window at this similarity.
  std::chrono::milliseconds place_window{72LL * 3600 * 1000};
  double place_similarity = 0.6;
};

using completion = std::function<void(core::result<model::receipt>)>;
/// Called with a reserved tracking number once it is durable, or with the error that kept it.
using reservation_done = std::function<void(core::result<std::string>)>;

class pipeline {
 public:
  /// With `sealer`, personal data is sealed to the centre's key before the submission reaches
  /// the outbox, so it is never stored or sent in clear; without, it travels in clear.
  pipeline(pipeline_options options, outbox::outbox& store, submitter_ref refs,
           core::metrics& metrics, std::optional<privacy::submitter_sealer> sealer = std::nullopt);

  /// Validates and normalizes at once (errors are reported before returning); otherwise queues
  /// the submission and calls `done` from the writer thread after its commit.
  void submit(model::raw_submission raw, completion done);

  /// Reserves a tracking number now for a submission completed later (a multi-part message):
  /// the number is committed (never handed out again) before `done` runs on the writer thread.
  /// Pass it as raw_submission::reserved_tracking_number; a reserved number never used is a
  /// harmless gap.
  void reserve_tracking_number(reservation_done done);

  const pipeline_options& options() const { return options_; }

  /// Topics of the feed: {prefix}/{region}/request|urgent|duplicate.
  std::string topic(std::string_view kind) const;

 private:
  pipeline_options options_;
  outbox::outbox& store_;
  submitter_ref refs_;
  std::optional<privacy::submitter_sealer> sealer_;
  core::metrics& metrics_;
  std::uint32_t region_code_;
  std::string source_;
  std::shared_ptr<const ingest_context> context_;
};

}  // namespace intake::pipeline
