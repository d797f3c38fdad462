#include "channels/miniprogram/miniprogram_channel.hpp"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <stdexcept>

#include "channels/json_receipt.hpp"
#include "channels/miniprogram/media_ids.hpp"
#include "channels/miniprogram/mp_request.hpp"
#include "channels/miniprogram/multipart.hpp"
#include "channels/miniprogram/session_token.hpp"
#include "channels/wechat_api/api_client.hpp"
#include "channels/wechat_api/api_keys.hpp"
#include "channels/wechat_api/api_worker.hpp"
#include "common/core/hmac.hpp"
#include "common/core/log.hpp"
#include "common/http/responses.hpp"

namespace intake::channels::miniprogram {

namespace {
namespace bhttp = boost::beast::http;
constexpr const char* prefix = "channels.miniprogram.";

std::string key(const char* name) {
  return std::string(prefix) + name;
}

using json_writer = rapidjson::Writer<rapidjson::StringBuffer>;

std::string json_object(const std::function<void(json_writer&)>& fill) {
  rapidjson::StringBuffer buffer;
  json_writer w(buffer);
  w.StartObject();
  fill(w);
  w.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize());
}

void put(json_writer& w, const char* k, std::string_view v) {
  w.Key(k);
  w.String(v.data(), static_cast<rapidjson::SizeType>(v.size()));
}

// The receipt answer with the new session token added, so a client that logged in with the
// submission needs no second call.
http::response with_session(http::response res, const std::string& token,
                            std::chrono::seconds lifetime) {
  auto& body = res.body();
  if (body.size() < 2 || body.back() != '}') return res;
  body.pop_back();
  body += ",\"session_token\":\"" + token +
          "\",\"expires_in\":" + std::to_string(lifetime.count()) + "}";
  res.prepare_payload();
  return res;
}

class miniprogram_channel final : public channel {
 public:
  void start(channel_context& ctx) override {
    ctx_ = &ctx;
    const auto& cfg = ctx.cfg;
    api_ = std::make_unique<wechat_api::api_client>(
        wechat_api::api_settings_from(cfg, "miniprogram"),
        std::shared_ptr<wechat_api::http_transport>(
            wechat_api::make_curl_transport(wechat_api::transport_limits_from(cfg, "miniprogram"))),
        ctx.now);
    worker_ = std::make_unique<wechat_api::api_worker>(
        static_cast<int>(cfg.get_int(key("api_threads"))),
        static_cast<std::size_t>(cfg.get_int(key("api_queue"))));
    const std::string session_key =
        cfg.has(key("session_key_file"))
            ? cfg.read_secret(key("session_key_file"))
            : pipeline::load_or_create_key(ctx.data_dir + "/miniprogram-session.key");
    sessions_ = std::make_unique<session_tokens>(session_key,
                                                 std::chrono::duration_cast<std::chrono::seconds>(
                                                     cfg.get_duration(key("session_lifetime"))));
    media_ids_ = std::make_unique<media_ids>(session_key);
    content_check_ = cfg.get_bool(key("content_check"));
    if (!ctx.media) throw std::runtime_error("miniprogram: the attachment store is not set up");

    const auto body_limit = cfg.get_size(key("body_limit"));
    ctx.router.add(route(bhttp::verb::post, "/mp/v1/session", "mp_session", body_limit,
                         &miniprogram_channel::login));
    ctx.router.add(route(bhttp::verb::post, "/mp/v1/submissions", "mp_submissions", body_limit,
                         &miniprogram_channel::submit));
    ctx.router.add(route(bhttp::verb::post, "/mp/v1/media", "mp_media",
                         ctx.media->limits().max_bytes + 64 * 1024, &miniprogram_channel::upload));
    ctx.router.add(route(bhttp::verb::get, "/mp/v1/submissions/{tracking_number}", "mp_status", 0,
                         &miniprogram_channel::status));
    core::log::info("channel_started", {{"channel", "miniprogram"}});
  }

  void stop() override {
    if (worker_) worker_->stop();
  }

 private:
  using member_handler = void (miniprogram_channel::*)(http::request&&, http::request_context&&,
                                                       http::respond_fn);

  http::route route(bhttp::verb verb, std::string pattern, std::string name,
                    std::uint64_t body_limit, member_handler fn) {
    return http::route{
        {verb},
        std::move(pattern),
        std::move(name),
        body_limit,
        [this, fn](http::request&& req, http::request_context&& rc, http::respond_fn respond) {
          (this->*fn)(std::move(req), std::move(rc), std::move(respond));
        }};
  }

  void fail(const core::error& err, const http::request& req, const http::respond_fn& respond) {
    respond(http::make_error_response(err, req.version(), req.keep_alive(), ctx_->retry_after));
  }

  bool limited(const http::request& req, const http::request_context& rc,
               const http::respond_fn& respond) {
    if (ctx_->limiter && !ctx_->limiter->allow(rc.remote_address)) {
      fail(core::make_error(core::errc::rate_limited, "too many requests; retry later"), req,
           respond);
      return true;
    }
    return false;
  }

  core::result<std::string> session_openid(const http::request& req) const {
    auto it = req.find(bhttp::field::authorization);
    if (it == req.end()) return core::fail(core::errc::unauthorized, "a session token is needed");
    auto token = bearer_token(it->value());
    if (!token) return core::fail(core::errc::unauthorized, "use Authorization: Bearer <token>");
    return sessions_->verify(*token, ctx_->now());
  }

  /// Runs the code exchange on the API threads, then `next(openid)` there.
  void exchange(std::string code, const http::request& req, http::respond_fn respond,
                std::function<void(std::string openid)> next) {
    const unsigned version = req.version();
    const bool keep_alive = req.keep_alive();
    auto job = [this, code = std::move(code), respond, next = std::move(next), version,
                keep_alive]() {
      auto session = api_->code_to_session(code);
      if (!session) {
        ctx_->metrics.count("intake_miniprogram_login_failed_total",
                            {{"code", core::code_name(session.error().code)}});
        respond(http::make_error_response(session.error(), version, keep_alive, ctx_->retry_after));
        return;
      }
      if (!is_plausible_openid(session->openid)) {
        respond(http::make_error_response(
            core::make_error(core::errc::upstream_unavailable, "WeChat answered a bad openid"),
            version, keep_alive, ctx_->retry_after));
        return;
      }
      next(std::move(session->openid));
    };
    if (!worker_->post(std::move(job))) {
      fail(core::make_error(core::errc::upstream_unavailable, "too many logins waiting"), req,
           respond);
    }
  }

  void login(http::request&& req, http::request_context&& rc, http::respond_fn respond) {
    if (limited(req, rc, respond)) return;
    auto code = decode_login(req[bhttp::field::content_type], req.body());
    if (!code) return fail(code.error(), req, respond);
    exchange(std::move(*code), req, respond, [this, respond](std::string openid) {
      const auto token = sessions_->issue(openid, ctx_->now());
      respond(http::make_json_response(bhttp::status::ok, json_object([&](json_writer& w) {
                                         put(w, "session_token", token);
                                         w.Key("expires_in");
                                         w.Int64(sessions_->lifetime().count());
                                       })));
    });
  }

  void submit(http::request&& req, http::request_context&& rc, http::respond_fn respond) {
    if (limited(req, rc, respond)) return;
    auto decoded = decode_mp_submission(req[bhttp::field::content_type], req.body(), ctx_->now());
    if (!decoded) return fail(decoded.error(), req, respond);
    auto request = std::make_shared<mp_submission>(std::move(*decoded));
    auto openid = session_openid(req);
    if (openid) {
      finish_submit(request, std::move(*openid), false, std::move(respond));
      return;
    }
    if (!request->code) return fail(openid.error(), req, respond);
    auto code = *request->code;
    exchange(std::move(code), req, respond, [this, request, respond](std::string id) {
      finish_submit(request, std::move(id), true, respond);
    });
  }

  // Media, the optional content check, then the pipeline. May run on an API thread.
  void finish_submit(std::shared_ptr<mp_submission> request, std::string openid, bool new_session,
                     http::respond_fn respond) {
    auto& raw = request->raw;
    for (const auto& id : request->media_ids) {
      auto attachment = attachment_of(openid, id);
      if (!attachment) return respond(http::make_error_response(attachment.error(), 11, true, {}));
      raw.media.push_back(std::move(*attachment));
    }
    if (content_check_) return check_content(request, openid, new_session, respond);
    submit_checked(request, std::move(openid), new_session, std::move(respond));
  }

  // msg_sec_check is a blocking call: moved to the API threads when not already there.
  void check_content(const std::shared_ptr<mp_submission>& request, const std::string& openid,
                     bool new_session, const http::respond_fn& respond) {
    auto job = [this, request, openid, new_session, respond]() {
      auto verdict = api_->check_text(openid, request->raw.description);
      if (verdict && *verdict == wechat_api::text_verdict::risky) {
        respond(http::make_error_response(
            core::make_error(core::errc::invalid_field,
                             "WeChat's content check refused the text; please rephrase"),
            11, true, {}));
        return;
      }
      if (!verdict) {
        // Fail open: a citizen's report must not be lost to an outage of a filter.
        core::log::warn(
            "miniprogram_content_check_failed",
            {{"channel", "miniprogram"}, {"code", core::code_name(verdict.error().code)}});
      }
      submit_checked(request, openid, new_session, respond);
    };
    if (!worker_->post(std::move(job))) submit_checked(request, openid, new_session, respond);
  }

  void submit_checked(const std::shared_ptr<mp_submission>& request, std::string openid,
                      bool new_session, http::respond_fn respond) {
    auto raw = request->raw;
    // The request id is scoped to the user, and the user appears only as a keyed tag. Without
    // one the call is simply new, but the key still carries the tag: it is how the status query
    // recognises the owner when a phone number, not the openid, became the submitter's ref.
    const auto owner = sessions_->owner_tag(openid);
    const auto request_id =
        request->request_id
            ? *request->request_id
            : core::to_hex(core::sha256(std::to_string(core::to_unix_ms(ctx_->now())) +
                                        raw.description + openid));
    raw.idempotency_key = owner + ":" + request_id;
    raw.submitter.openid = openid;
    std::optional<std::string> token;
    if (new_session) token = sessions_->issue(openid, ctx_->now());
    const auto retry_after = ctx_->retry_after;
    const auto lifetime = sessions_->lifetime();
    ctx_->pipeline.submit(std::move(raw), [respond = std::move(respond), token, retry_after,
                                           lifetime](core::result<model::receipt> outcome) {
      auto res = receipt_response(outcome, 11, true, retry_after);
      if (token && outcome) res = with_session(std::move(res), *token, lifetime);
      respond(std::move(res));
    });
  }

  core::result<model::attachment> attachment_of(const std::string& openid,
                                                const std::string& media_id) {
    auto hash = media_ids_->hash_of(openid, media_id);
    if (!hash) return tl::unexpected(hash.error());
    // From the file's first bytes: a sealed photo says its type and size without the key.
    auto described = ctx_->media->describe(*hash);
    if (!described) {
      if (described.error().code == core::errc::not_found) {
        return core::fail(core::errc::invalid_field, "media id is unknown");
      }
      return core::fail(core::errc::storage_unavailable, "a stored photo is unreadable");
    }
    model::attachment a = std::move(*described);
    if (ctx_->media_urls) a.url = ctx_->media_urls->url_for(*hash, ctx_->now());
    return a;
  }

  void upload(http::request&& req, http::request_context&& rc, http::respond_fn respond) {
    if (limited(req, rc, respond)) return;
    auto openid = session_openid(req);
    if (!openid) return fail(openid.error(), req, respond);
    auto file = first_file(req[bhttp::field::content_type], req.body());
    if (!file) return fail(file.error(), req, respond);
    // Content-checked (type by its bytes) and size-capped by the shared store.
    auto stored = ctx_->media->put(file->bytes);
    if (!stored) return fail(stored.error(), req, respond);
    const auto id = media_ids_->id_for(*openid, stored->sha256);
    auto res = http::make_json_response(bhttp::status::created, json_object([&](json_writer& w) {
                                          put(w, "media_id", id);
                                          put(w, "media_type", stored->media_type);
                                          w.Key("size");
                                          w.Uint64(stored->size);
                                        }));
    respond(std::move(res));
  }

  void status(http::request&& req, http::request_context&& rc, http::respond_fn respond) {
    if (limited(req, rc, respond)) return;
    auto openid = session_openid(req);
    if (!openid) return fail(openid.error(), req, respond);
    auto found = ctx_->pipeline.status_of(rc.params["tracking_number"]);
    if (!found) return fail(found.error(), req, respond);
    if (!owned_by(*found, *openid)) {
      // The same answer as an unknown number: nobody learns whether someone else's exists.
      return fail(core::make_error(core::errc::not_found, "no request has this tracking number"),
                  req, respond);
    }
    respond(
        http::make_json_response(bhttp::status::ok, json_object([&](json_writer& w) {
                                   put(w, "tracking_number", found->tracking_number);
                                   put(w, "status", found->forwarded ? "forwarded" : "accepted");
                                   put(w, "received_at", core::format_rfc3339(found->received_at));
                                 })));
  }

  // The mini-program's requests carry the user's tag in their idempotency key; a request whose
  // submitter is identified by this openid alone also matches by its ref.
  bool owned_by(const pipeline::request_status& s, const std::string& openid) const {
    const std::string tag = "miniprogram:" + sessions_->owner_tag(openid) + ":";
    if (s.idempotency_key && s.idempotency_key->rfind(tag, 0) == 0) return true;
    model::submitter asker;
    asker.openid = openid;
    const auto ref = ctx_->pipeline.ref_of(asker);
    return ref && s.submitter_ref && core::constant_time_equal(*ref, *s.submitter_ref);
  }

  channel_context* ctx_ = nullptr;
  std::unique_ptr<wechat_api::api_client> api_;
  std::unique_ptr<wechat_api::api_worker> worker_;
  std::unique_ptr<session_tokens> sessions_;
  std::unique_ptr<media_ids> media_ids_;
  bool content_check_ = false;
};

}  // namespace

std::vector<config::key_spec> config_keys() {
  auto keys = wechat_api::api_config_keys("mini-program");
  std::vector<config::key_spec> own = {
      {"body_limit", config::key_type::size, std::int64_t{256 * 1024},
       "Largest JSON body accepted at /mp/v1/session and /mp/v1/submissions."},
      {"session_lifetime", config::key_type::duration, std::int64_t{2 * 3600 * 1000},
       "How long the collector's session token is valid after a wx.login code exchange."},
      {"session_key_file", config::key_type::secret_file, std::monostate{},
       "File holding the key that signs session tokens and media ids; created as "
       "{data_dir}/miniprogram-session.key when unset.",
       nullptr, true},
      {"content_check", config::key_type::boolean, false,
       "Check texts with WeChat's msg_sec_check before accepting them (refuses 'risky')."},
  };
  keys.insert(keys.end(), own.begin(), own.end());
  return keys;
}

std::unique_ptr<channel> make_channel() {
  return std::make_unique<miniprogram_channel>();
}

}  // namespace intake::channels::miniprogram
