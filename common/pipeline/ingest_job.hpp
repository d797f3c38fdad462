#pragma once
#include <memory>

#include "common/model/submission.hpp"
#include "common/outbox/write_txn.hpp"
#include "common/pipeline/pipeline.hpp"

namespace intake::pipeline {

/// What an ingest job needs to know of the collector.
struct ingest_context {
  const pipeline_options* options;
  std::uint32_t region_code;
  const std::string* source;
  std::string request_topic, urgent_topic, duplicate_topic;
};

/// The write job of one submission: idempotency check, near-duplicate check, serial, event.
/// The write job that spends one serial and answers its tracking number after the commit.
std::unique_ptr<outbox::write_job> make_reserve_job(std::shared_ptr<const ingest_context> context,
                                                    reservation_done done);

std::unique_ptr<outbox::write_job> make_ingest_job(std::shared_ptr<const ingest_context> context,
                                                   model::submission submission, completion done);

}  // namespace intake::pipeline
