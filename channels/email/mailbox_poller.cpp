#include "channels/email/mailbox_poller.hpp"

#include <signal.h>

#include <cstdlib>
#include <filesystem>
#include <future>
#include <random>

#include "channels/email/email_submission.hpp"
#include "channels/email/mime_parser.hpp"
#include "channels/email/quarantine.hpp"
#include "channels/email/reply_message.hpp"
#include "common/core/durable_file.hpp"
#include "common/core/hmac.hpp"
#include "common/core/log.hpp"

namespace intake::channels::email {

namespace {

constexpr std::string_view messages_metric = "intake_email_messages_total";
constexpr std::string_view quarantined_metric = "intake_email_quarantined_total";
constexpr std::string_view attachments_metric = "intake_email_attachments_dropped_total";
constexpr std::string_view poll_errors_metric = "intake_email_poll_errors_total";
constexpr std::string_view poll_pause_metric = "intake_email_poll_pause_seconds";

double seconds(std::chrono::milliseconds d) {
  return static_cast<double>(d.count()) / 1000.0;
}

std::string random_token() {
  static thread_local std::mt19937_64 rng{std::random_device{}()};
  char buffer[17];
  std::snprintf(buffer, sizeof buffer, "%016llx", static_cast<unsigned long long>(rng()));
  return buffer;
}

}  // namespace

mailbox_poller::mailbox_poller(email_settings settings, channel_context& ctx,
                               reply::dispatcher* replies)
    : settings_(std::move(settings)),
      ctx_(ctx),
      replies_(replies),
      state_path_(ctx.data_dir + "/email/mailbox.state.json"),
      quarantine_dir_(quarantine_dir(ctx.data_dir)),
      imap_(settings_.imap, settings_.max_message_bytes) {
  imap_.abort_when(&aborting_);
  self_.reply_address = settings_.reply.from_address;
  self_.message_id_host = settings_.reply.message_id_host;
  if (auto r = core::make_directories(ctx.data_dir + "/email"); !r)
    throw std::runtime_error(r.error().message);
  state_ = load_mailbox_state(state_path_);
  // Test hook: die like kill -9 right after a submission's commit, before the message is
  // flagged and moved, to prove that the re-read after restart stores nothing twice.
  if (const char* fault = std::getenv("INTAKE_EMAIL_FAULT"))
    kill_after_commit_ = std::string_view(fault) == "kill_after_commit";

  auto& m = ctx.metrics;
  m.describe(messages_metric, "counter",
             "Messages read from the mailbox by outcome (accepted, duplicate, replayed, "
             "automatic, quarantined).");
  m.describe(quarantined_metric, "counter", "Messages quarantined since start, by reason.");
  m.describe(attachments_metric, "counter", "Attachments not stored, by reason.");
  m.describe(poll_errors_metric, "counter", "Polls that failed (IMAP unreachable, refused...).");
  m.describe(poll_pause_metric, "gauge",
             "Pause before the next poll: poll_interval, longer while the server is unreachable.");
  m.set_gauge(poll_pause_metric, {}, seconds(settings_.poll_interval));
  m.describe("intake_email_quarantine_files", "gauge",
             "Messages kept in data_dir/email/quarantine (what intakectl email quarantine lists).");
  m.gauge_fn("intake_email_quarantine_files",
             [dir = quarantine_dir_] { return static_cast<double>(list_quarantine(dir).size()); });
}

mailbox_poller::~mailbox_poller() {
  stop();
}

void mailbox_poller::start() {
  std::lock_guard lock(mutex_);
  if (thread_.joinable()) return;
  stopping_ = false;
  thread_ = std::thread([this] { run(); });
}

void mailbox_poller::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  // A command cut short leaves the message in the mailbox: it is read again after restart.
  aborting_ = true;
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

bool mailbox_poller::stopping() const {
  std::lock_guard lock(mutex_);
  return stopping_;
}

void mailbox_poller::run() {
  core::log::info("email_poller_started", {{"mailbox", settings_.mailbox}});
  while (!stopping()) {
    const auto pause = next_pause(poll_once());
    std::unique_lock lock(mutex_);
    wake_.wait_for(lock, pause, [this] { return stopping_ || woken_; });
    woken_ = false;
  }
}

void mailbox_poller::wake() {
  {
    std::lock_guard lock(mutex_);
    woken_ = true;
  }
  wake_.notify_all();
}

std::chrono::milliseconds mailbox_poller::next_pause(bool reached) {
  if (reached) {
    if (failed_polls_ > 0) {
      core::log::info("email_poll_recovered", {{"failed_polls", std::to_string(failed_polls_)}});
      ctx_.metrics.set_gauge(poll_pause_metric, {}, seconds(settings_.poll_interval));
    }
    failed_polls_ = 0;
    return settings_.poll_interval;
  }
  ++failed_polls_;
  auto pause = settings_.poll_interval;
  for (int i = 0; i < failed_polls_ && pause < settings_.poll_backoff_max; ++i) pause *= 2;
  pause = std::min(pause, settings_.poll_backoff_max);
  ctx_.metrics.set_gauge(poll_pause_metric, {}, seconds(pause));
  core::log::info("email_poll_backoff", {{"failed_polls", std::to_string(failed_polls_)},
                                         {"retry_in_ms", std::to_string(pause.count())}});
  return pause;
}

bool mailbox_poller::poll_failed(std::string_view event, const core::error& error) {
  ctx_.metrics.count(poll_errors_metric);
  core::log::warn(event, {{"reason", error.message}});
  return false;
}

bool mailbox_poller::poll_once() {
  if (!folders_ready_) {
    for (const auto& folder : {settings_.processed_folder, settings_.quarantine_folder}) {
      if (auto r = imap_.ensure_mailbox(folder); !r)
        return poll_failed("email_poll_failed", r.error());
    }
    folders_ready_ = true;
  }
  auto status = imap_.status(settings_.mailbox);
  if (!status) return poll_failed("email_poll_failed", status.error());
  if (status->uidvalidity != state_.uidvalidity) {
    if (state_.uidvalidity != 0) {
      // The server renumbered the mailbox: read it all again; Message-IDs keep it exact.
      core::log::warn("email_uidvalidity_changed", {{"old", std::to_string(state_.uidvalidity)},
                                                    {"new", std::to_string(status->uidvalidity)}});
    }
    state_ = {status->uidvalidity, 0};
    attempts_.clear();
    if (auto r = save_mailbox_state(state_path_, state_); !r)
      core::log::warn("email_state_not_saved", {{"reason", r.error().message}});
  }
  if (status->uidnext != 0 && status->uidnext <= state_.last_uid + 1) return true;  // nothing new
  auto uids = imap_.uids_from(settings_.mailbox, state_.last_uid + 1);
  if (!uids) return poll_failed("email_poll_failed", uids.error());
  const auto before = state_;
  fetch_failed_ = false;
  for (const auto uid : *uids) {
    if (stopping()) break;
    if (handle(state_.uidvalidity, uid) == step::stop_cycle) break;
    state_.last_uid = uid;
  }
  if (state_ != before) {
    if (auto r = save_mailbox_state(state_path_, state_); !r)
      core::log::warn("email_state_not_saved", {{"reason", r.error().message}});
  }
  return !fetch_failed_;
}

mailbox_poller::step mailbox_poller::handle(std::uint64_t uidvalidity, std::uint64_t uid) {
  auto raw = imap_.fetch(settings_.mailbox, uidvalidity, uid);
  if (!raw) {
    if (raw.error().code == core::errc::not_found) return step::next;  // expunged meanwhile
    if (raw.error().code == core::errc::payload_too_large)
      return quarantine(uidvalidity, uid, {}, 0, "too_large", raw.error().message);
    ctx_.metrics.count(poll_errors_metric);
    core::log::warn("email_fetch_failed",
                    {{"uid", std::to_string(uid)}, {"reason", raw.error().message}});
    fetch_failed_ = true;
    return step::stop_cycle;
  }
  parse_limits limits;
  limits.max_attachment_bytes = ctx_.media ? ctx_.media->limits().max_bytes : 0;
  limits.max_attachments = ctx_.media ? settings_.max_attachments : 0;
  auto message = parse_email(*raw, limits);
  if (!message)
    return quarantine(uidvalidity, uid, *raw, raw->size(), "unparseable", message.error().message);
  if (auto reason = automatic_reason(*message, self_)) {
    core::log::info("email_automatic_ignored", {{"uid", std::to_string(uid)}, {"reason", *reason}});
    ctx_.metrics.count("intake_email_automatic_total", {{"reason", *reason}});
    return finish(uid, "automatic");
  }
  return take(uidvalidity, uid, *raw, *message);
}

mailbox_poller::step mailbox_poller::take(std::uint64_t uidvalidity, std::uint64_t uid,
                                          const std::string& raw, const parsed_email& message) {
  auto intake = to_submission(message, core::to_hex(core::sha256(raw)),
                              ctx_.pipeline.options().limits, ctx_.now());
  for (const auto& a : message.attachments) {
    if (a.over_cap) {
      ctx_.metrics.count(attachments_metric, {{"reason", "too_large"}});
      continue;
    }
    auto stored = ctx_.media->put(a.bytes, a.name);
    if (!stored) {
      if (stored.error().code == core::errc::unsupported_media_type ||
          stored.error().code == core::errc::payload_too_large) {
        ctx_.metrics.count(attachments_metric,
                           {{"reason", std::string(core::code_name(stored.error().code))}});
        continue;
      }
      return failed_attempt(uidvalidity, uid, raw,
                            "attachment not stored: " + stored.error().message);
    }
    if (ctx_.media_urls) stored->url = ctx_.media_urls->url_for(stored->sha256, ctx_.now());
    intake.raw.media.push_back(std::move(*stored));
  }

  auto done = std::make_shared<std::promise<core::result<model::receipt>>>();
  auto answer = done->get_future();
  ctx_.pipeline.submit(std::move(intake.raw),
                       [done](core::result<model::receipt> r) { done->set_value(std::move(r)); });
  if (answer.wait_for(settings_.submit_timeout) != std::future_status::ready) {
    // It may still commit; the next poll re-reads the message and its key finds the record.
    core::log::warn("email_submit_timeout", {{"uid", std::to_string(uid)}});
    return step::stop_cycle;
  }
  auto receipt = answer.get();
  if (!receipt) {
    if (core::is_retryable(receipt.error().code)) {
      core::log::warn("email_submit_deferred", {{"uid", std::to_string(uid)},
                                                {"code", core::code_name(receipt.error().code)}});
      (void)imap_.set_seen(settings_.mailbox, uid, false);  // not ours yet: FETCH set it
      return step::stop_cycle;
    }
    return quarantine(uidvalidity, uid, raw, raw.size(),
                      std::string(core::code_name(receipt.error().code)), receipt.error().message);
  }
  if (kill_after_commit_) ::raise(SIGKILL);

  const bool duplicate = receipt->status == model::dedup_status::duplicate;
  const char* outcome = receipt->replayed ? "replayed" : duplicate ? "duplicate" : "accepted";
  core::log::info("email_taken", {{"tracking_number", receipt->tracking_number},
                                  {"channel", "email"},
                                  {"uid", std::to_string(uid)},
                                  {"outcome", outcome}});
  const auto moved = finish(uid, outcome);
  // The reply is queued only after the move, so a message still in the mailbox was never
  // answered, replayed receipt or not (a crash between commit and move): it is answered now.
  // When the move fails, the next poll reads it again and answers then.
  if (moved == step::next && intake.reply_address)
    queue_reply(message, *intake.reply_address, *receipt);
  return moved;
}

mailbox_poller::step mailbox_poller::finish(std::uint64_t uid, const char* outcome) {
  ctx_.metrics.count(messages_metric, {{"outcome", outcome}});
  auto moved = imap_.set_seen(settings_.mailbox, uid, true);
  if (moved) moved = imap_.move(settings_.mailbox, uid, settings_.processed_folder);
  if (moved) {
    attempts_.erase(uid);
    return step::next;
  }
  // Left in the mailbox: the next poll reads it again, is answered from its key, and tries the
  // move again; after max_attempts the poller goes on past it (it is durable already) rather
  // than let one message hold up the mailbox.
  const int attempts = ++attempts_[uid];
  core::log::warn("email_move_failed", {{"uid", std::to_string(uid)},
                                        {"attempts", std::to_string(attempts)},
                                        {"reason", moved.error().message}});
  if (attempts < settings_.max_attempts) return step::stop_cycle;
  ctx_.metrics.count(poll_errors_metric);
  core::log::error("email_left_in_mailbox", {{"uid", std::to_string(uid)}});
  attempts_.erase(uid);
  return step::next;
}

mailbox_poller::step mailbox_poller::quarantine(std::uint64_t uidvalidity, std::uint64_t uid,
                                                std::string_view raw, std::uint64_t size,
                                                const std::string& reason,
                                                const std::string& detail) {
  auto kept =
      quarantine_message(quarantine_dir_, uidvalidity, uid, raw, size, reason, detail, ctx_.now());
  if (!kept) {
    // Without the local copy the message stays where it is; it is tried again next poll.
    core::log::error("email_quarantine_failed",
                     {{"uid", std::to_string(uid)}, {"reason", kept.error().message}});
    return step::stop_cycle;
  }
  ctx_.metrics.count(quarantined_metric, {{"reason", reason}});
  ctx_.metrics.count(messages_metric, {{"outcome", "quarantined"}});
  attempts_.erase(uid);
  core::log::warn("email_quarantined",
                  {{"uid", std::to_string(uid)}, {"reason", reason}, {"detail", detail}});
  if (auto r = imap_.move(settings_.mailbox, uid, settings_.quarantine_folder); !r) {
    // The copy is kept; not moving it only means it stays in the mailbox, behind last_uid.
    core::log::warn("email_move_failed",
                    {{"uid", std::to_string(uid)}, {"reason", r.error().message}});
  }
  return step::next;
}

mailbox_poller::step mailbox_poller::failed_attempt(std::uint64_t uidvalidity, std::uint64_t uid,
                                                    std::string_view raw,
                                                    const std::string& detail) {
  const int attempts = ++attempts_[uid];
  if (attempts >= settings_.max_attempts)
    return quarantine(uidvalidity, uid, raw, raw.size(), "retries_exhausted", detail);
  core::log::warn(
      "email_attempt_failed",
      {{"uid", std::to_string(uid)}, {"attempts", std::to_string(attempts)}, {"reason", detail}});
  (void)imap_.set_seen(settings_.mailbox, uid, false);
  return step::stop_cycle;
}

void mailbox_poller::queue_reply(const parsed_email& message, const std::string& to,
                                 const model::receipt& receipt) {
  if (!replies_) return;
  reply_to_message original{to, message.message_id, message.references};
  std::string token = receipt.tracking_number + "." + random_token();
  auto composed = compose_reply(settings_.reply, original, receipt, ctx_.now(), token);
  replies_->enqueue(reply::message{to, std::move(composed.text), receipt.tracking_number});
}

}  // namespace intake::channels::email
