#include "common/pipeline/ingest_job.hpp"

#include "common/dedup/detector.hpp"
#include "common/dedup/outbox_index.hpp"
#include "common/dedup/place_key.hpp"
#include "common/model/event_codec.hpp"
#include "common/model/tracking_number.hpp"

namespace intake::pipeline {

namespace {

// The dedup knobs of the pipeline's options.
dedup::rules rules_of(const pipeline_options& o) {
  dedup::rules r;
  r.window_ms = o.dedup_window.count();
  r.similarity = o.similarity_threshold;
  r.recent_per_submitter = o.recent_per_submitter;
  r.place_similarity = o.place_similarity;
  r.place_window_ms = o.place_window.count();
  return r;
}

class ingest_job final : public outbox::write_job {
 public:
  ingest_job(std::shared_ptr<const ingest_context> context, model::submission s, completion done)
      : context_(std::move(context)), submission_(std::move(s)), done_(std::move(done)) {}

  core::result<void> apply(outbox::write_txn& txn) override {
    const auto& opts = *context_->options;
    std::optional<std::string> idem_key;
    if (submission_.idempotency_key)
      idem_key = submission_.channel + ":" + *submission_.idempotency_key;

    // 1. A retry of something already stored: answer with the original, store nothing.
    if (idem_key) {
      auto found = txn.find_by_idempotency(*idem_key);
      if (!found) return tl::unexpected(found.error());
      if (*found) {
        receipt_.tracking_number = (*found)->tracking;
        receipt_.status = model::dedup_status::duplicate;
        receipt_.replayed = true;
        receipt_.urgency = (*found)->urgency ? model::urgency::emergency : model::urgency::normal;
        receipt_.referral = (*found)->referral;
        return {};
      }
    }

    auto serial = own_serial(txn);
    if (!serial) return tl::unexpected(serial.error());
    const std::string own_number = model::make_tracking_number(context_->region_code, opts.node,
                                                               static_cast<std::uint32_t>(*serial));
    const auto received_ms = core::to_unix_ms(submission_.received_at);

    // 2. Near duplicates: the same person again, or someone else about the same place and
    // problem (dedup/detector.hpp). Decided here, inside the transaction that stores the record.
    const bool emergency = submission_.triage.urgency == model::urgency::emergency;
    dedup::query query;
    query.match_text = submission_.match_text;
    query.submitter_ref = submission_.person.ref;
    query.places = dedup::place_keys(submission_.location);
    query.received_ms = received_ms;
    query.link_places = !emergency;
    dedup::outbox_index index(txn);
    auto decided = dedup::detector(rules_of(opts)).decide(query, index);
    if (!decided) return tl::unexpected(decided.error());

    model::dedup_result outcome;
    if (decided->link != dedup::link_kind::none) {
      auto count = txn.bump_repeat_count(decided->original_serial);
      if (!count) return tl::unexpected(count.error());
      outcome.status = model::dedup_status::duplicate;
      outcome.duplicate_of = decided->original_tracking;
      outcome.similarity = decided->similarity;
      outcome.repeat_count = *count;
    }

    const bool duplicate = outcome.status == model::dedup_status::duplicate;
    // A repeat by the same person is told the original's number. Another person reporting the
    // same place keeps a number of their own (their request is answered on its own); the feed
    // still carries it as a duplicate naming the first report.
    const bool same_submitter = decided->link == dedup::link_kind::same_submitter;
    const std::string tracking = same_submitter ? decided->original_tracking : own_number;

    outbox::new_event event;
    // The event id is the serial's own number: unique per source, and the same on every retry
    // because the payload is rendered once, here, and stored.
    event.event_id = own_number;
    event.topic = duplicate   ? context_->duplicate_topic
                  : emergency ? context_->urgent_topic
                              : context_->request_topic;
    event.priority = (emergency && !duplicate) ? 1 : 0;
    event.created_ms = received_ms;
    event.payload = model::encode_event(
        submission_, outcome, model::event_envelope{own_number, *context_->source, tracking});
    if (auto r = txn.insert_event(event); !r) return r;

    outbox::record_row record;
    record.serial = *serial;
    record.tracking = tracking;
    record.received_ms = received_ms;
    record.channel = submission_.channel;
    record.idem_key = idem_key;
    record.submitter_ref = submission_.person.ref;
    record.match_text = submission_.match_text;
    record.status = static_cast<int>(decided->link);
    record.duplicate_of = outcome.duplicate_of;
    if (duplicate) record.original_serial = decided->original_serial;
    record.urgency = emergency ? 1 : 0;
    record.referral = submission_.triage.referral;
    if (auto r = txn.insert_record(record); !r) return r;
    if (auto r = dedup::store_decision(txn, *serial, received_ms, *decided); !r) return r;

    receipt_.tracking_number = tracking;
    receipt_.status =
        same_submitter ? model::dedup_status::duplicate : model::dedup_status::new_request;
    receipt_.urgency = submission_.triage.urgency;
    receipt_.referral = submission_.triage.referral;
    return {};
  }

  // A reserved number was committed (and told to the citizen) earlier: its serial is already
  // spent, so it is used as is instead of a new one.
  core::result<std::int64_t> own_serial(outbox::write_txn& txn) const {
    if (!submission_.reserved_tracking_number) return txn.next_serial();
    auto parts = model::parse_tracking_number(*submission_.reserved_tracking_number);
    if (!parts) return tl::unexpected(parts.error());
    if (parts->region != context_->region_code || parts->node != context_->options->node) {
      return core::fail(core::errc::invalid_field,
                        "the reserved tracking number belongs to another collector");
    }
    return static_cast<std::int64_t>(parts->serial);
  }

  void finish(core::result<void> outcome) override {
    if (!outcome) {
      done_(tl::unexpected(outcome.error()));
      return;
    }
    done_(std::move(receipt_));
  }

 private:
  std::shared_ptr<const ingest_context> context_;
  model::submission submission_;
  completion done_;
  model::receipt receipt_;
};

}  // namespace

namespace {

// Spends one serial in its own commit, so the number can be told to the citizen before the
// submission it will name is complete (a multi-part SMS waiting for its last part).
class reserve_job final : public outbox::write_job {
 public:
  reserve_job(std::shared_ptr<const ingest_context> context, reservation_done done)
      : context_(std::move(context)), done_(std::move(done)) {}

  core::result<void> apply(outbox::write_txn& txn) override {
    auto serial = txn.next_serial();
    if (!serial) return tl::unexpected(serial.error());
    number_ = model::make_tracking_number(context_->region_code, context_->options->node,
                                          static_cast<std::uint32_t>(*serial));
    return {};
  }

  void finish(core::result<void> outcome) override {
    if (!outcome) {
      done_(tl::unexpected(outcome.error()));
      return;
    }
    done_(std::move(number_));
  }

 private:
  std::shared_ptr<const ingest_context> context_;
  reservation_done done_;
  std::string number_;
};

}  // namespace

std::unique_ptr<outbox::write_job> make_reserve_job(std::shared_ptr<const ingest_context> context,
                                                    reservation_done done) {
  return std::make_unique<reserve_job>(std::move(context), std::move(done));
}

std::unique_ptr<outbox::write_job> make_ingest_job(std::shared_ptr<const ingest_context> context,
                                                   model::submission submission, completion done) {
  return std::make_unique<ingest_job>(std::move(context), std::move(submission), std::move(done));
}

}  // namespace intake::pipeline
