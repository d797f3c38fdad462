#include "channels/webform/webform_channel.hpp"

#include "channels/web/form_service.hpp"

namespace intake::channels::webform {

namespace {
namespace bhttp = boost::beast::http;

constexpr const char* form_path = "/form";

class webform_channel final : public channel {
 public:
  void start(channel_context& ctx) override {
    auto settings = web::read_form_settings(ctx.cfg, "webform");
    const auto body_limit = settings.body_limit;
    auto service = std::make_shared<web::form_service>(
        std::move(settings), web::page_token_key(ctx.cfg, "webform", ctx.data_dir), ctx);
    auto subject = std::make_shared<web::page_subject>();
    subject->channel = "webform";
    subject->path = form_path;
    subject->token_scope = form_path;
    ctx.router.add(http::route{
        {bhttp::verb::get, bhttp::verb::head},
        form_path,
        "webform_page",
        0,
        [service, subject](http::request&& req, http::request_context&&, http::respond_fn respond) {
          service->serve_get(req, *subject, respond);
        }});
    ctx.router.add(http::route{{bhttp::verb::post},
                               form_path,
                               "webform_submissions",
                               body_limit,
                               [service, subject](http::request&& req, http::request_context&& rc,
                                                  http::respond_fn respond) {
                                 service->serve_post(req, rc, *subject, respond);
                               }});
  }
};

}  // namespace

std::vector<config::key_spec> config_keys() {
  return web::form_keys();
}

std::unique_ptr<channel> make_channel() {
  return std::make_unique<webform_channel>();
}

}  // namespace intake::channels::webform
