#include "channels/qrcode/qrcode_channel.hpp"

#include "channels/qrcode/qr_settings.hpp"
#include "channels/qrcode/revocation_list.hpp"
#include "channels/web/form_service.hpp"

namespace intake::channels::qrcode {

namespace {
namespace bhttp = boost::beast::http;

class qrcode_channel final : public channel {
 public:
  void start(channel_context& ctx) override {
    auto settings = web::read_form_settings(ctx.cfg, "qrcode");
    if (const auto base = qr_base_url(ctx.cfg); !base.empty()) settings.public_urls.push_back(base);
    const auto body_limit = settings.body_limit;
    auto state = std::make_shared<shared_state>(
        web::form_service(std::move(settings), web::page_token_key(ctx.cfg, "qrcode", ctx.data_dir),
                          ctx),
        qr_signing_key(ctx.cfg), revocation_path(ctx.cfg));
    ctx.router.add(
        http::route{{bhttp::verb::get, bhttp::verb::head},
                    "/q/{token}",
                    "qrcode_page",
                    0,
                    [state](http::request&& req, http::request_context&& rc,
                            http::respond_fn respond) { serve(*state, req, rc, respond, false); }});
    ctx.router.add(
        http::route{{bhttp::verb::post},
                    "/q/{token}",
                    "qrcode_submissions",
                    body_limit,
                    [state](http::request&& req, http::request_context&& rc,
                            http::respond_fn respond) { serve(*state, req, rc, respond, true); }});
  }

 private:
  struct shared_state {
    shared_state(web::form_service s, std::string key, std::string revocation_file)
        : service(std::move(s)), signer(std::move(key)), revoked(std::move(revocation_file)) {}
    web::form_service service;
    qr_signer signer;
    revocation_list revoked;
  };

  static void serve(shared_state& state, const http::request& req, const http::request_context& rc,
                    const http::respond_fn& respond, bool post) {
    const auto lang = web::language_from(web::parse_query(req.target()).get("lang").value_or(""));
    const auto& t = web::text_for(lang);
    const auto it = rc.params.find("token");
    const std::string raw_token = it == rc.params.end() ? std::string{} : it->second;
    auto token = state.signer.verify(raw_token);
    if (!token) {
      respond(web::html_response(
          bhttp::status::bad_request,
          web::render_message(lang, t.token_invalid_title, t.token_invalid, "/form")));
      return;
    }
    if (state.revoked.is_revoked(token->id)) {
      respond(web::html_response(
          bhttp::status::gone,
          web::render_message(lang, t.token_revoked_title, t.token_revoked, "/form")));
      return;
    }
    web::page_subject subject;
    subject.channel = "qrcode";
    subject.path = "/q/" + raw_token;
    subject.token_scope = "qr:" + token->id;
    subject.place_text = place_text(token->asset, state.service.settings().categories);
    subject.location.asset_id = token->asset.asset_id;
    subject.location.address_string = token->asset.address;
    subject.location.lat = token->asset.lat;
    subject.location.lon = token->asset.lon;
    subject.location.verified = true;
    subject.service_code = token->asset.service_code;
    subject.source_ref = token->id;
    if (post) {
      state.service.serve_post(req, rc, subject, respond);
    } else {
      state.service.serve_get(req, subject, respond);
    }
  }
};

}  // namespace

std::string place_text(const qr_asset& asset, const std::vector<web::category>& categories) {
  std::string text;
  if (asset.service_code) {
    for (const auto& c : categories) {
      if (c.code == *asset.service_code) text = c.zh + " ";
    }
  }
  return text + asset.asset_id + "，" + asset.address;
}

std::vector<config::key_spec> config_keys() {
  auto keys = qr_keys();
  for (auto& key : web::form_keys()) keys.push_back(std::move(key));
  return keys;
}

std::unique_ptr<channel> make_channel() {
  return std::make_unique<qrcode_channel>();
}

}  // namespace intake::channels::qrcode
