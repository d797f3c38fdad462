#include "channels/wechat/wechat_channel.hpp"

#include <openssl/rand.h>

#include <stdexcept>

#include "channels/wechat/message_assembler.hpp"
#include "channels/wechat/message_joiner.hpp"
#include "channels/wechat/push_request.hpp"
#include "channels/wechat/replay_cache.hpp"
#include "channels/wechat/reply_text.hpp"
#include "channels/wechat_api/api_client.hpp"
#include "channels/wechat_api/api_keys.hpp"
#include "channels/wechat_api/api_worker.hpp"
#include "common/core/log.hpp"
#include "common/http/responses.hpp"

namespace intake::channels::wechat {

namespace {
namespace bhttp = boost::beast::http;
constexpr const char* prefix = "channels.wechat.";

std::string random_digits(std::size_t n) {
  std::string out(n, '0');
  unsigned char bytes[32];
  RAND_bytes(bytes, static_cast<int>(n));
  for (std::size_t i = 0; i < n; ++i) out[i] = static_cast<char>('0' + bytes[i] % 10);
  return out;
}

http::response text_response(std::string body, std::string_view type) {
  http::response res{bhttp::status::ok, 11};
  res.set(bhttp::field::content_type, type);
  res.body() = std::move(body);
  res.prepare_payload();
  return res;
}

// WeChat takes "success" (or an empty body) as "received, no reply".
http::response no_reply() {
  return text_response("success", "text/plain; charset=utf-8");
}

class wechat_channel final : public channel {
 public:
  void start(channel_context& ctx) override {
    ctx_ = &ctx;
    const auto& cfg = ctx.cfg;
    account_name_ = cfg.get_string(std::string(prefix) + "account");
    account_.token = cfg.read_secret(std::string(prefix) + "token_file");
    account_.timestamp_skew = std::chrono::duration_cast<std::chrono::seconds>(
        cfg.get_duration(std::string(prefix) + "timestamp_skew"));
    account_.limits.max_bytes = cfg.get_size(std::string(prefix) + "body_limit");
    const std::string appid = cfg.get_string(std::string(prefix) + "appid");
    if (cfg.has(std::string(prefix) + "encoding_aes_key_file")) {
      auto crypto = message_crypto::create(
          cfg.read_secret(std::string(prefix) + "encoding_aes_key_file"), appid);
      if (!crypto) {
        throw std::runtime_error(std::string(prefix) +
                                 "encoding_aes_key_file: " + crypto.error().message);
      }
      account_.crypto = std::move(*crypto);
    }
    // Photos are fetched through the API, which needs the AppSecret; without it a photo is
    // noted in the text rather than refused.
    if (cfg.has(std::string(prefix) + "appsecret_file")) {
      api_ = std::make_unique<wechat_api::api_client>(
          wechat_api::api_settings_from(cfg, "wechat"),
          std::shared_ptr<wechat_api::http_transport>(
              wechat_api::make_curl_transport(wechat_api::transport_limits_from(cfg, "wechat"))),
          ctx.now);
      worker_ = std::make_unique<wechat_api::api_worker>(
          static_cast<int>(cfg.get_int(std::string(prefix) + "api_threads")),
          static_cast<std::size_t>(cfg.get_int(std::string(prefix) + "api_queue")));
    }
    replays_ =
        std::make_unique<replay_cache>(std::chrono::duration_cast<std::chrono::seconds>(
                                           cfg.get_duration(std::string(prefix) + "replay_window")),
                                       100000);
    const auto quiet = cfg.get_duration(std::string(prefix) + "quiet_period");
    if (quiet.count() > 0) {
      joining_options options;
      options.path = ctx.data_dir + "/wechat-joiner.sqlite";
      options.quiet_period = quiet;
      options.now = ctx.now;
      assembler_ = make_joining_assembler(ctx.pipeline, std::move(options));
    } else {
      assembler_ = make_single_assembler(ctx.pipeline);
    }
    ctx.metrics.describe("intake_wechat_refused_total", "counter",
                         "Official-account pushes refused, by error code (forbidden: forged "
                         "signature, stale timestamp, wrong appid, plain text in safe mode).");

    ctx.router.add(http::route{
        {bhttp::verb::get, bhttp::verb::post},
        "/wechat/{account}",
        "wechat",
        account_.limits.max_bytes,
        [this](http::request&& req, http::request_context&& rc, http::respond_fn respond) {
          handle(std::move(req), std::move(rc), std::move(respond));
        }});
    core::log::info("channel_started",
                    {{"channel", "wechat"}, {"mode", account_.crypto ? "safe" : "plain"}});
  }

  void stop() override {
    if (worker_) worker_->stop();
    if (assembler_) assembler_->stop();
  }

 private:
  void refuse(const core::error& err, const http::request& req, const http::respond_fn& respond) {
    ctx_->metrics.count("intake_wechat_refused_total", {{"code", core::code_name(err.code)}});
    core::log::warn(
        "wechat_push_refused",
        {{"channel", "wechat"}, {"code", core::code_name(err.code)}, {"reason", err.message}});
    respond(http::make_error_response(err, req.version(), req.keep_alive(), ctx_->retry_after));
  }

  void handle(http::request&& req, http::request_context&& rc, http::respond_fn respond) {
    if (rc.params["account"] != account_name_) {
      respond(http::make_error_response(
          core::make_error(core::errc::not_found, "no such official account"), req.version(),
          req.keep_alive(), {}));
      return;
    }
    const auto query = parse_push_query(req.target());
    const auto now = ctx_->now();
    if (req.method() == bhttp::verb::get) {
      auto echo = verify_url_check(query, account_, now);
      if (!echo) return refuse(echo.error(), req, respond);
      respond(text_response(*echo, "text/plain; charset=utf-8"));
      return;
    }
    if (ctx_->limiter && !ctx_->limiter->allow(rc.remote_address)) {
      return refuse(core::make_error(core::errc::rate_limited, "too many pushes"), req, respond);
    }
    auto opened = open_push(query, req.body(), account_, now);
    if (!opened) return refuse(opened.error(), req, respond);
    auto push = std::make_shared<opened_push>(std::move(*opened));
    const auto& msg = push->message;
    if (!is_submittable(msg)) {
      // Events (subscribe, menu) need no answer; anything else is told what works.
      if (msg.kind == message_kind::event) return respond(no_reply());
      return respond(reply(*push, unsupported_text()));
    }
    const std::string key = replay_key(msg);
    auto seen = replays_->claim(key, now);
    if (seen.seen == replay_cache::state::answered) return respond(reply(*push, seen.answer));
    if (seen.seen == replay_cache::state::in_flight) {
      // The first copy is still being stored; it will answer. WeChat's retry gets "success".
      return respond(no_reply());
    }

    citizen_message part;
    part.openid = msg.from_user;
    part.replay_key = "wx:" + key;
    part.text = msg.text;
    part.lat = msg.lat;
    part.lon = msg.lon;
    part.label = msg.label;
    part.received_at = now;
    if (msg.kind == message_kind::image) {
      part.photo_missing = true;
      if (api_ && msg.media_id) {
        auto job = [this, push, part = std::move(part), key, respond]() mutable {
          fetch_photo(push->message, part);
          assemble(push, std::move(part), key, respond);
        };
        if (!worker_->post(std::move(job))) {
          replays_->release(key);
          refuse(core::make_error(core::errc::upstream_unavailable, "photo downloads are queued"),
                 req, respond);
        }
        return;
      }
    }
    assemble(push, std::move(part), key, std::move(respond));
  }

  void fetch_photo(const inbound_message& msg, citizen_message& part) {
    auto bytes = api_->download_media(*msg.media_id);
    if (!bytes) {
      core::log::warn("wechat_photo_not_fetched",
                      {{"channel", "wechat"}, {"reason", bytes.error().message}});
      return;
    }
    if (!ctx_->media) return;
    auto stored = ctx_->media->put(*bytes);
    if (!stored) {
      core::log::warn("wechat_photo_not_stored",
                      {{"channel", "wechat"}, {"reason", stored.error().message}});
      return;
    }
    if (ctx_->media_urls) stored->url = ctx_->media_urls->url_for(stored->sha256, ctx_->now());
    part.photo = std::move(*stored);
    part.photo_missing = false;
  }

  void assemble(std::shared_ptr<opened_push> push, citizen_message part, std::string key,
                http::respond_fn respond) {
    assembler_->add(
        std::move(part), [this, push, key, respond](core::result<model::receipt> outcome) {
          if (!outcome) {
            replays_->release(key);
            // A 5xx makes WeChat push again; by then the outbox may take it.
            respond(http::make_error_response(outcome.error(), 11, true, ctx_->retry_after));
            return;
          }
          const std::string text = receipt_text(*outcome);
          replays_->answered(key, text);
          respond(reply(*push, text));
        });
  }

  http::response reply(const opened_push& push, const std::string& text) const {
    return text_response(passive_text_reply(push.message, text, push.encrypted, account_,
                                            ctx_->now(), random_digits(10)),
                         "application/xml; charset=utf-8");
  }

  channel_context* ctx_ = nullptr;
  std::string account_name_;
  account_settings account_;
  std::unique_ptr<wechat_api::api_client> api_;
  std::unique_ptr<wechat_api::api_worker> worker_;
  std::unique_ptr<replay_cache> replays_;
  std::unique_ptr<message_assembler> assembler_;
};

}  // namespace

std::vector<config::key_spec> config_keys() {
  auto keys = wechat_api::api_config_keys("official account");
  std::vector<config::key_spec> own = {
      {"account", config::key_type::string, std::string("main"),
       "The {account} of the server URL /wechat/{account} configured on WeChat's platform."},
      {"token_file", config::key_type::secret_file, std::monostate{},
       "File holding the Token configured on WeChat's platform (signs every push).", nullptr, true,
       "enabled"},
      {"encoding_aes_key_file", config::key_type::secret_file, std::monostate{},
       "File holding the 43-character EncodingAESKey; when set, safe mode is required and plain "
       "pushes are refused.",
       nullptr, true},
      {"timestamp_skew", config::key_type::duration, std::int64_t{300000},
       "Pushes whose timestamp is further than this from the collector's clock are refused."},
      {"body_limit", config::key_type::size, std::int64_t{64 * 1024},
       "Largest push body accepted."},
      {"replay_window", config::key_type::duration, std::int64_t{600000},
       "How long a message's answer is kept for WeChat's retries of it."},
      {"quiet_period", config::key_type::duration, std::int64_t{60000},
       "A citizen's messages less than this apart join into one submission; 0 makes each "
       "message its own."},
  };
  keys.insert(keys.end(), own.begin(), own.end());
  return keys;
}

std::unique_ptr<channel> make_channel() {
  return std::make_unique<wechat_channel>();
}

}  // namespace intake::channels::wechat
