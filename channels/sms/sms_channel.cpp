#include "channels/sms/sms_channel.hpp"

#include <future>
#include <stdexcept>

#include "channels/sms/gateway_auth.hpp"
#include "channels/sms/kannel_decode.hpp"
#include "channels/sms/kannel_sender.hpp"
#include "channels/sms/reply_text.hpp"
#include "channels/sms/sms_part.hpp"
#include "channels/sms/webhook_decode.hpp"
#include "common/core/log.hpp"
#include "common/http/responses.hpp"
#include "common/joiner/joiner.hpp"
#include "common/normalize/text.hpp"
#include "common/reply/dispatcher.hpp"
#include "common/triage/triage.hpp"

namespace intake::channels::sms {

namespace {
namespace bhttp = boost::beast::http;

// How long a new window waits for its tracking number to be committed before the gateway is
// told to retry.
constexpr auto reservation_deadline = std::chrono::seconds(30);

/// The referral (110/119/120/122) when the text alone is an emergency.
std::optional<std::string> emergency_referral(std::string_view text) {
  auto normalized = normalize::normalize_text(text);
  if (!normalized) return std::nullopt;
  const auto t = triage::assess(normalize::fold_for_matching(*normalized));
  if (t.urgency != model::urgency::emergency || !t.referral) return std::nullopt;
  return t.referral;
}

struct settings {
  address_allow_list allowed{{}};
  std::string secret;
  std::string webhook_key;
  webhook_mapping mapping;
  std::string signature_header;
  std::size_t max_text_chars = 1600;
  std::vector<std::string> own_numbers;
  reply_templates templates;
  std::chrono::seconds retry_after{5};
};

class sms_channel final : public channel {
 public:
  void start(channel_context& ctx) override {
    const auto& cfg = ctx.cfg;
    const std::string p = "channels.sms.";
    pipeline_ = &ctx.pipeline;
    metrics_ = &ctx.metrics;
    now_ = ctx.now;
    s_.retry_after = ctx.retry_after;
    try {
      s_.allowed = address_allow_list(cfg.get_list(p + "allow_from"));
    } catch (const std::invalid_argument& e) {
      throw std::runtime_error(cfg.source() + ": channels.sms.allow_from: " + e.what());
    }
    if (cfg.has(p + "secret_file")) s_.secret = cfg.read_secret(p + "secret_file");
    if (s_.secret.empty() && cfg.get_list(p + "allow_from").empty()) {
      throw std::runtime_error(cfg.source() +
                               ": channels.sms: set secret_file or allow_from (or both); the "
                               "gateway callback would otherwise be open to anyone");
    }
    s_.max_text_chars = std::min<std::size_t>(
        static_cast<std::size_t>(cfg.get_int(p + "max_text_chars")),
        static_cast<std::size_t>(cfg.get_int("limits.description_max_chars")));
    s_.own_numbers = cfg.get_list(p + "own_numbers");
    s_.templates.accepted = cfg.get_string(p + "reply_template");
    s_.templates.emergency = cfg.get_string(p + "emergency_template");

    describe_metrics();
    start_replies(ctx);
    start_joiner(ctx);

    const auto body_limit = cfg.get_size(p + "body_limit");
    ctx.router.add(http::route{
        {bhttp::verb::get, bhttp::verb::post},
        "/sms/kannel",
        "sms_kannel",
        body_limit,
        [this](http::request&& req, http::request_context&& rc, http::respond_fn respond) {
          on_kannel(std::move(req), rc, std::move(respond));
        }});
    if (cfg.get_bool(p + "webhook_enabled")) {
      if (!cfg.has(p + "webhook_secret_file")) {
        throw std::runtime_error(cfg.source() +
                                 ": channels.sms.webhook_secret_file: required when "
                                 "webhook_enabled is true");
      }
      s_.webhook_key = cfg.read_secret(p + "webhook_secret_file");
      s_.signature_header = cfg.get_string(p + "webhook_signature_header");
      s_.mapping = webhook_mapping{
          cfg.get_string(p + "webhook_sender_field"), cfg.get_string(p + "webhook_receiver_field"),
          cfg.get_string(p + "webhook_text_field"), cfg.get_string(p + "webhook_id_field")};
      ctx.router.add(http::route{
          {bhttp::verb::post},
          "/sms/webhook",
          "sms_webhook",
          body_limit,
          [this](http::request&& req, http::request_context&& rc, http::respond_fn respond) {
            on_webhook(std::move(req), rc, std::move(respond));
          }});
    }
  }

  void stop() override {
    if (joiner_) joiner_->stop();
    if (replies_) replies_->stop();
  }

 private:
  void describe_metrics() {
    metrics_->describe("intake_sms_parts_total", "counter",
                       "SMS taken from the gateway, by how they joined (opened a window, "
                       "appended to one, repeated by the gateway).");
    metrics_->describe("intake_sms_undecodable_total", "counter",
                       "SMS with bytes that did not decode in their declared charset (kept, "
                       "flagged, raw bytes in the event).");
    metrics_->describe("intake_sms_windows", "gauge",
                       "Multi-part windows not yet stored as a submission.");
    metrics_->describe("intake_sms_windows_refused", "gauge",
                       "Windows the pipeline refused for good, kept in sms-parts.db.");
  }

  void start_replies(channel_context& ctx) {
    const auto& cfg = ctx.cfg;
    const std::string p = "channels.sms.";
    const std::string url = cfg.get_string(p + "sendsms_url");
    if (url.empty()) {
      core::log::warn("sms_replies_off",
                      {{"reason", "channels.sms.sendsms_url is not set: citizens get no reply"}});
      return;
    }
    kannel_sender_options o;
    o.url = url;
    o.username = cfg.get_string(p + "sendsms_user");
    if (cfg.has(p + "sendsms_password_file")) {
      o.password = cfg.read_secret(p + "sendsms_password_file");
    }
    o.from = cfg.get_string(p + "sendsms_from");
    if (!o.from.empty()) s_.own_numbers.push_back(o.from);
    o.timeout = cfg.get_duration(p + "sendsms_timeout");
    sender_ = std::make_unique<kannel_sender>(std::move(o));
    reply::dispatcher_options d;
    d.channel = "sms";
    d.max_attempts = static_cast<int>(cfg.get_int(p + "reply_max_attempts"));
    d.backoff_min = cfg.get_duration(p + "reply_backoff_min");
    d.backoff_max = cfg.get_duration(p + "reply_backoff_max");
    d.per_recipient_burst = static_cast<double>(cfg.get_int(p + "reply_per_number_burst"));
    d.per_recipient_interval = cfg.get_duration(p + "reply_per_number_interval");
    replies_ = std::make_unique<reply::dispatcher>(std::move(d), *sender_, *metrics_);
    replies_->start();
  }

  void start_joiner(channel_context& ctx) {
    const std::string p = "channels.sms.";
    joiner::joiner_options o;
    o.path = ctx.data_dir + "/sms-parts.db";
    o.quiet_period = ctx.cfg.get_duration(p + "quiet_period");
    o.max_parts = static_cast<std::size_t>(ctx.cfg.get_int(p + "max_parts"));
    // Part bodies hold the text plus a little JSON, so their bytes bound the joined characters:
    // a joined submission never exceeds the pipeline's description limit.
    o.max_bytes = static_cast<std::size_t>(ctx.cfg.get_int("limits.description_max_chars"));
    o.retry_delay = ctx.retry_after;
    o.now = ctx.now;
    auto* pipeline = pipeline_;
    joiner_ = std::make_unique<joiner::joiner>(
        std::move(o),
        [pipeline](const joiner::part&) -> core::result<std::string> {
          auto promise = std::make_shared<std::promise<core::result<std::string>>>();
          auto future = promise->get_future();
          pipeline->reserve_tracking_number(
              [promise](core::result<std::string> r) { promise->set_value(std::move(r)); });
          if (future.wait_for(reservation_deadline) != std::future_status::ready) {
            return core::fail(core::errc::storage_unavailable,
                              "the outbox did not commit in time; retry later");
          }
          return future.get();
        },
        [this](const joiner::window& w, joiner::flush_done done) {
          on_window(w, std::move(done));
        });
    auto* j = joiner_.get();
    metrics_->gauge_fn("intake_sms_windows", [j] {
      const auto s = j->stats();
      return static_cast<double>(s.open_windows + s.flushing_windows);
    });
    metrics_->gauge_fn("intake_sms_windows_refused",
                       [j] { return static_cast<double>(j->stats().failed_windows); });
    joiner_->start();
  }

  void refuse(const core::error& err, unsigned version, bool keep_alive,
              const http::respond_fn& respond) {
    metrics_->count("intake_submissions_rejected_total",
                    {{"channel", "sms"}, {"code", core::code_name(err.code)}});
    if (err.code == core::errc::unauthorized || err.code == core::errc::forbidden) {
      core::log::warn("sms_gateway_refused", {{"code", core::code_name(err.code)}});
    }
    respond(http::make_error_response(err, version, keep_alive, s_.retry_after));
  }

  void on_kannel(http::request&& req, const http::request_context& rc, http::respond_fn respond) {
    const unsigned version = req.version();
    const bool keep_alive = req.keep_alive();
    auto params = parse_form(query_of(req.target()));
    if (!params) return refuse(params.error(), version, keep_alive, respond);
    std::optional<std::string_view> presented = param(*params, "secret");
    if (auto it = req.find("X-Intake-Secret"); it != req.end()) presented = it->value();
    if (auto ok = check_gateway(s_.allowed, rc.remote_address, s_.secret, presented); !ok) {
      return refuse(ok.error(), version, keep_alive, respond);
    }
    auto message = decode_kannel(req, *params, s_.max_text_chars);
    if (!message) return refuse(message.error(), version, keep_alive, respond);
    take(std::move(*message),
         [this, version, keep_alive, respond](core::result<joiner::add_outcome> outcome) {
           if (!outcome) return refuse(outcome.error(), version, keep_alive, respond);
           // An empty 200: Kannel is done with the message and, with omit-empty, sends nothing back
           // itself; the reply goes out through sendsms.
           http::response res{bhttp::status::ok, version};
           res.set(bhttp::field::content_type, "text/plain; charset=utf-8");
           res.set("X-Intake-Tracking-Number", outcome->token);
           res.keep_alive(keep_alive);
           respond(std::move(res));
         });
  }

  void on_webhook(http::request&& req, const http::request_context&, http::respond_fn respond) {
    const unsigned version = req.version();
    const bool keep_alive = req.keep_alive();
    std::optional<std::string_view> signature;
    if (auto it = req.find(s_.signature_header); it != req.end()) signature = it->value();
    if (auto ok = check_signature(s_.webhook_key, req.body(), signature); !ok) {
      return refuse(ok.error(), version, keep_alive, respond);
    }
    auto message = decode_webhook(req.body(), s_.mapping, s_.max_text_chars);
    if (!message) return refuse(message.error(), version, keep_alive, respond);
    take(std::move(*message),
         [this, version, keep_alive, respond](core::result<joiner::add_outcome> outcome) {
           if (!outcome) return refuse(outcome.error(), version, keep_alive, respond);
           const bool repeated = outcome->status == joiner::add_status::repeated;
           auto res = http::make_json_response(
               repeated ? bhttp::status::ok : bhttp::status::accepted,
               std::string(R"({"tracking_number":")") + outcome->token + R"(","status":")" +
                   (repeated ? "duplicate" : "accepted") + R"("})");
           res.version(version);
           res.keep_alive(keep_alive);
           respond(std::move(res));
         });
  }

  // Stores one SMS as a part of its sender's window and replies once it is durable.
  void take(sms_message m, std::function<void(core::result<joiner::add_outcome>)> answer) {
    const std::string key = sender_key(m.sender);
    std::vector<std::string> not_to = s_.own_numbers;
    if (!m.receiver.empty()) not_to.push_back(m.receiver);
    const auto phone = sender_phone(key);
    const bool may_reply = replies_ && phone && may_reply_to(*phone, not_to);
    // An emergency closes the window at once: the feed gets it now, the citizen is told to call.
    const auto referral = emergency_referral(m.text);
    if (m.undecodable) metrics_->count("intake_sms_undecodable_total");

    stored_sms s{m.text, m.receiver,    m.gateway_id,
                 m.smsc, m.undecodable, referral.has_value() && may_reply};
    joiner::part part{key, m.gateway_id.empty() ? std::string() : "gateway:" + m.gateway_id,
                      encode_part_body(s), now_()};
    joiner_->add(
        std::move(part), referral.has_value(),
        [this, phone, may_reply, referral,
         answer = std::move(answer)](core::result<joiner::add_outcome> outcome) {
          if (outcome) {
            const char* status = outcome->status == joiner::add_status::opened     ? "opened"
                                 : outcome->status == joiner::add_status::appended ? "appended"
                                                                                   : "repeated";
            metrics_->count("intake_sms_parts_total", {{"status", status}});
            core::log::info("sms_part_taken",
                            {{"tracking", outcome->token}, {"channel", "sms"}, {"join", status}});
            const bool first = outcome->status == joiner::add_status::opened;
            const bool urgent_later = outcome->status == joiner::add_status::appended && referral;
            if (may_reply && (first || urgent_later)) {
              replies_->enqueue(reply::message{
                  *phone, reply_for(s_.templates, outcome->token, referral), outcome->token});
            }
          }
          answer(std::move(outcome));
        });
  }

  // A window is complete: one submission of its parts, then (for an emergency the single
  // parts did not show) the emergency reply.
  void on_window(const joiner::window& w, joiner::flush_done done) {
    auto raw = joined_submission(w);
    if (!raw) return done(tl::unexpected(raw.error()));
    bool emergency_replied = false;
    std::vector<std::string> not_to = s_.own_numbers;
    for (const auto& p : w.parts) {
      if (auto s = decode_part_body(p.body)) {
        emergency_replied = emergency_replied || s->emergency_replied;
        if (!s->receiver.empty()) not_to.push_back(s->receiver);
      }
    }
    const auto phone = sender_phone(w.key);
    const bool may_reply = replies_ && phone && may_reply_to(*phone, not_to);
    const std::string token = w.token;
    pipeline_->submit(std::move(*raw), [this, done = std::move(done), token, phone, may_reply,
                                        emergency_replied](core::result<model::receipt> r) {
      if (!r) return done(tl::unexpected(r.error()));
      if (!r->replayed && r->urgency == model::urgency::emergency && r->referral &&
          !emergency_replied && may_reply) {
        replies_->enqueue(
            reply::message{*phone, reply_for(s_.templates, token, r->referral), token});
      }
      done({});
    });
  }

  settings s_;
  pipeline::pipeline* pipeline_ = nullptr;
  core::metrics* metrics_ = nullptr;
  std::function<core::sys_time()> now_;
  std::unique_ptr<kannel_sender> sender_;
  std::unique_ptr<reply::dispatcher> replies_;
  std::unique_ptr<joiner::joiner> joiner_;
};

}  // namespace

std::unique_ptr<channel> make_channel() {
  return std::make_unique<sms_channel>();
}

}  // namespace intake::channels::sms
