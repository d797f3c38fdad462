#include "common/pipeline/ingest_job.hpp"

#include "common/dedup/similarity.hpp"
#include "common/model/event_codec.hpp"
#include "common/model/tracking_number.hpp"

namespace intake::pipeline {

namespace {

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

    // 2. The same person saying nearly the same thing again within the window.
    model::dedup_result dedup;
    if (submission_.person.ref) {
      auto recent =
          txn.recent_by_submitter(*submission_.person.ref, received_ms - opts.dedup_window.count(),
                                  opts.recent_per_submitter);
      if (!recent) return tl::unexpected(recent.error());
      const outbox::record_row* best = nullptr;
      double best_similarity = 0;
      for (const auto& row : *recent) {
        if (!row.match_text) continue;
        const double sim = dedup::text_similarity(submission_.match_text, *row.match_text);
        if (sim > best_similarity) {
          best_similarity = sim;
          best = &row;
        }
      }
      if (best && best_similarity >= opts.similarity_threshold) {
        auto original = model::parse_tracking_number(best->tracking);
        if (!original) return tl::unexpected(original.error());
        auto count = txn.bump_repeat_count(original->serial);
        if (!count) return tl::unexpected(count.error());
        dedup.status = model::dedup_status::duplicate;
        dedup.duplicate_of = best->tracking;
        dedup.similarity = best_similarity;
        dedup.repeat_count = *count;
      }
    }

    const bool duplicate = dedup.status == model::dedup_status::duplicate;
    const bool emergency = submission_.triage.urgency == model::urgency::emergency;
    const std::string tracking = duplicate ? *dedup.duplicate_of : own_number;

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
        submission_, dedup, model::event_envelope{own_number, *context_->source, tracking});
    if (auto r = txn.insert_event(event); !r) return r;

    outbox::record_row record;
    record.serial = *serial;
    record.tracking = tracking;
    record.received_ms = received_ms;
    record.channel = submission_.channel;
    record.idem_key = idem_key;
    record.submitter_ref = submission_.person.ref;
    record.match_text = submission_.match_text;
    record.status = duplicate ? 1 : 0;
    record.duplicate_of = dedup.duplicate_of;
    record.urgency = emergency ? 1 : 0;
    record.referral = submission_.triage.referral;
    if (auto r = txn.insert_record(record); !r) return r;

    receipt_.tracking_number = tracking;
    receipt_.status = dedup.status;
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
