#include "common/pipeline/pipeline.hpp"

#include "common/core/log.hpp"
#include "common/model/event_codec.hpp"
#include "common/pipeline/ingest_job.hpp"
#include "common/triage/triage.hpp"

namespace intake::pipeline {

namespace {
std::string_view dedup_label(const model::receipt& r) {
  if (r.replayed) return "replayed";
  return r.status == model::dedup_status::duplicate ? "duplicate" : "new";
}
}  // namespace

pipeline::pipeline(pipeline_options options, outbox::outbox& store, submitter_ref refs,
                   core::metrics& metrics, std::optional<privacy::submitter_sealer> sealer)
    : options_(std::move(options)),
      store_(store),
      refs_(std::move(refs)),
      sealer_(std::move(sealer)),
      metrics_(metrics),
      region_code_(static_cast<std::uint32_t>(std::stoul(options_.region))),
      source_(model::event_source(options_.region, options_.collector_id)) {
  metrics_.describe(
      "intake_submissions_total", "counter",
      "Submissions answered, by channel and dedup status (new, duplicate, replayed).");
  metrics_.describe("intake_submissions_rejected_total", "counter",
                    "Submissions refused, by channel and error code.");
  auto ctx = std::make_shared<ingest_context>();
  ctx->options = &options_;
  ctx->region_code = region_code_;
  ctx->source = &source_;
  ctx->request_topic = topic("request");
  ctx->urgent_topic = topic("urgent");
  ctx->duplicate_topic = topic("duplicate");
  context_ = std::move(ctx);
}

std::string pipeline::topic(std::string_view kind) const {
  return options_.topic_prefix + "/" + options_.region + "/" + std::string(kind);
}

void pipeline::reserve_tracking_number(reservation_done done) {
  store_.submit(make_reserve_job(context_, std::move(done)));
}

void pipeline::submit(model::raw_submission raw, completion done) {
  const std::string channel = raw.channel;
  auto normalized = normalize_submission(std::move(raw), options_.limits);
  if (!normalized) {
    metrics_.count("intake_submissions_rejected_total",
                   {{"channel", channel}, {"code", core::code_name(normalized.error().code)}});
    done(tl::unexpected(normalized.error()));
    return;
  }
  normalized->triage = triage::assess(normalized->match_text);
  // The ref is taken from the clear identity, so sealing must come after it.
  normalized->person.ref = refs_.of(normalized->person);
  if (sealer_) {
    if (auto sealed = sealer_->seal(normalized->person); !sealed) {
      // Refused rather than sent in clear: the operator configured sealing for a reason.
      metrics_.count("intake_submissions_rejected_total",
                     {{"channel", channel}, {"code", core::code_name(sealed.error().code)}});
      core::log::error("personal_data_not_sealed",
                       {{"channel", channel}, {"reason", sealed.error().message}});
      done(tl::unexpected(sealed.error()));
      return;
    }
  }

  auto wrapped = [this, channel, done = std::move(done)](core::result<model::receipt> r) {
    if (r) {
      metrics_.count("intake_submissions_total",
                     {{"channel", channel}, {"dedup", dedup_label(*r)}});
      if (!r->replayed) {
        core::log::info(
            "submission_accepted",
            {{"tracking", r->tracking_number},
             {"channel", channel},
             {"dedup", dedup_label(*r)},
             {"urgency", r->urgency == model::urgency::emergency ? "emergency" : "normal"}});
      }
    } else {
      metrics_.count("intake_submissions_rejected_total",
                     {{"channel", channel}, {"code", core::code_name(r.error().code)}});
    }
    done(std::move(r));
  };
  store_.submit(make_ingest_job(context_, std::move(*normalized), std::move(wrapped)));
}

}  // namespace intake::pipeline
