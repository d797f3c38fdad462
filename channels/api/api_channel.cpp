#include "channels/api/api_channel.hpp"

#include "channels/api/api_decode.hpp"
#include "channels/json_receipt.hpp"
#include "common/http/responses.hpp"

namespace intake::channels::api {

namespace {
namespace bhttp = boost::beast::http;

class api_channel final : public channel {
 public:
  void start(channel_context& ctx) override {
    const auto body_limit = ctx.cfg.get_size("channels.api.body_limit");
    auto* pipeline = &ctx.pipeline;
    auto now = ctx.now;
    const auto retry_after = ctx.retry_after;
    auto* limiter = ctx.limiter;
    ctx.router.add(http::route{
        {bhttp::verb::post},
        "/api/v1/submissions",
        "api_submissions",
        body_limit,
        [pipeline, now, retry_after, limiter](http::request&& req, http::request_context&& rc,
                                              http::respond_fn respond) {
          const unsigned version = req.version();
          const bool keep_alive = req.keep_alive();
          if (limiter && !limiter->allow(rc.remote_address)) {
            respond(http::make_error_response(
                core::make_error(core::errc::rate_limited, "too many submissions; retry later"),
                version, keep_alive, std::chrono::seconds(1)));
            return;
          }
          std::optional<std::string_view> key;
          if (auto it = req.find("Idempotency-Key"); it != req.end()) key = it->value();
          auto raw = decode_submission(req[bhttp::field::content_type], req.body(), key, now());
          if (!raw) {
            respond(http::make_error_response(raw.error(), version, keep_alive, retry_after));
            return;
          }
          pipeline->submit(std::move(*raw), [respond = std::move(respond), version, keep_alive,
                                             retry_after](core::result<model::receipt> outcome) {
            respond(receipt_response(outcome, version, keep_alive, retry_after));
          });
        }});
  }
};
}  // namespace

std::vector<config::key_spec> config_keys() {
  return {
      {"body_limit", config::key_type::size, std::int64_t{256 * 1024},
       "Largest JSON body accepted at /api/v1/submissions."},
  };
}

std::unique_ptr<channel> make_channel() {
  return std::make_unique<api_channel>();
}

}  // namespace intake::channels::api
