#include "channels/web/form_service.hpp"

#include "channels/json_receipt.hpp"
#include "channels/web/form_fields.hpp"
#include "channels/web/form_page.hpp"
#include "common/core/log.hpp"

namespace intake::channels::web {

namespace {
namespace bhttp = boost::beast::http;

std::unique_ptr<http::rate_limiter> make_limiter(std::int64_t per_period, double period_seconds) {
  if (per_period <= 0) return nullptr;
  return std::make_unique<http::rate_limiter>(static_cast<double>(per_period) / period_seconds,
                                              static_cast<double>(per_period));
}

std::string_view host_of_origin(std::string_view origin) {
  const auto scheme = origin.find("://");
  if (scheme != std::string_view::npos) origin.remove_prefix(scheme + 3);
  return origin.substr(0, origin.find('/'));
}

bhttp::status status_of(core::errc code) {
  return static_cast<bhttp::status>(core::http_status(code));
}

// Everything needed to show the form again after a failed post, kept by value because the
// pipeline may answer from its writer thread after the request is gone.
struct redisplay {
  form_view view;
  std::string token;
};

}  // namespace

http::response html_response(bhttp::status status, std::string body) {
  http::response res{status, 11};
  res.set(bhttp::field::content_type, "text/html; charset=utf-8");
  res.set(bhttp::field::cache_control, "no-store");
  res.set("X-Content-Type-Options", "nosniff");
  res.set("Referrer-Policy", "same-origin");
  res.set("Content-Security-Policy",
          "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; "
          "frame-ancestors 'none'; base-uri 'none'");
  res.body() = std::move(body);
  res.prepare_payload();
  return res;
}

bool is_cross_site(const http::request& req, const std::vector<std::string>& public_urls) {
  if (auto it = req.find("Sec-Fetch-Site"); it != req.end() && it->value() == "cross-site") {
    return true;
  }
  const auto origin = req[bhttp::field::origin];
  // Absent (an old browser, curl) or "null" (a privacy-sensitive context): the page token
  // alone decides.
  if (origin.empty() || origin == "null") return false;
  const auto host = host_of_origin(origin);
  if (host == req[bhttp::field::host]) return false;
  for (const auto& url : public_urls) {
    if (host_of_origin(url) == host) return false;
  }
  return true;
}

form_service::form_service(form_settings settings, std::string token_key, channel_context& ctx)
    : settings_(std::move(settings)),
      tokens_(std::move(token_key), settings_.token_lifetime),
      ctx_(ctx),
      per_ip_(make_limiter(settings_.posts_per_minute_per_ip, 60.0)),
      per_phone_(make_limiter(settings_.posts_per_hour_per_phone, 3600.0)) {}

void form_service::serve_get(const http::request& req, const page_subject& subject,
                             const http::respond_fn& respond) const {
  form_view view;
  view.lang = language_from(parse_query(req.target()).get("lang").value_or(""));
  view.action = subject.path;
  view.token = tokens_.issue(subject.token_scope, ctx_.now());
  view.place = subject.place_text;
  view.ask_category = !subject.service_code;
  view.categories = &settings_.categories;
  view.max_photos = settings_.max_photos;
  view.photo_max_bytes = settings_.photo_max_bytes;
  respond(html_response(bhttp::status::ok, render_form(view)));
}

void form_service::serve_post(const http::request& req, const http::request_context& rc,
                              const page_subject& subject, const http::respond_fn& respond) const {
  const language query_lang = language_from(parse_query(req.target()).get("lang").value_or(""));
  const auto refuse = [&](bhttp::status status, language lang, std::string_view message,
                          std::string_view code) {
    ctx_.metrics.count("intake_submissions_rejected_total",
                       {{"channel", subject.channel}, {"code", code}});
    const auto& t = text_for(lang);
    respond(html_response(status, render_message(lang, t.refused_title, message, subject.path)));
  };

  if (is_cross_site(req, settings_.public_urls)) {
    refuse(bhttp::status::forbidden, query_lang, text_for(query_lang).cross_site, "cross_site");
    return;
  }
  form_limits limits = settings_.limits;
  auto form = parse_form(req[bhttp::field::content_type], req.body(), limits);
  if (!form) {
    const auto code = form.error().code;
    const auto& t = text_for(query_lang);
    refuse(status_of(code), query_lang,
           code == core::errc::payload_too_large ? t.too_large : t.bad_body, core::code_name(code));
    return;
  }

  form_rules rules;
  rules.limits = ctx_.pipeline.options().limits;
  rules.max_photos = settings_.max_photos;
  rules.photo_max_bytes = settings_.photo_max_bytes;
  rules.categories = &settings_.categories;
  rules.ask_address = !subject.place_text;
  rules.ask_category = !subject.service_code;
  auto checked = check_form(*form, rules);
  const language lang = checked.lang;

  if (checked.honeypot) {
    core::log::info("form_honeypot", {{"channel", subject.channel}});
    refuse(bhttp::status::bad_request, lang, text_for(lang).honeypot_refused, "honeypot");
    return;
  }

  auto view = std::make_shared<form_view>();
  view->lang = lang;
  view->action = subject.path;
  view->values = checked.values;
  view->errors = checked.errors;
  view->place = subject.place_text;
  view->ask_category = !subject.service_code;
  view->categories = &settings_.categories;
  view->max_photos = settings_.max_photos;
  view->photo_max_bytes = settings_.photo_max_bytes;
  view->token = checked.token;
  const auto show_again = [&respond, &view, this, &subject](
                              bhttp::status status, page_notice notice, std::string_view code) {
    ctx_.metrics.count("intake_submissions_rejected_total",
                       {{"channel", subject.channel}, {"code", code}});
    view->notice = notice;
    auto res = html_response(status, render_form(*view));
    if (status == bhttp::status::service_unavailable ||
        status == bhttp::status::too_many_requests) {
      res.set(bhttp::field::retry_after, std::to_string(ctx_.retry_after.count()));
    }
    respond(std::move(res));
  };

  const auto token = tokens_.check(checked.token, subject.token_scope, ctx_.now());
  if (token.outcome == page_token_check::verdict::invalid) {
    // A forged or foreign token: possibly a cross-site post, so nothing is shown back.
    refuse(bhttp::status::forbidden, lang, text_for(lang).cross_site, "invalid_page_token");
    return;
  }
  if (token.outcome == page_token_check::verdict::expired) {
    view->token = tokens_.issue(subject.token_scope, ctx_.now());
    show_again(bhttp::status::unprocessable_entity, page_notice::expired, "page_token_expired");
    return;
  }
  if ((per_ip_ && !per_ip_->allow(rc.remote_address)) ||
      (ctx_.limiter && !ctx_.limiter->allow(rc.remote_address))) {
    show_again(bhttp::status::too_many_requests, page_notice::rate_limited, "rate_limited");
    return;
  }
  if (!checked.errors.empty()) {
    show_again(bhttp::status::unprocessable_entity, page_notice::fix_errors, "invalid_field");
    return;
  }
  if (per_phone_ && checked.phone && !per_phone_->allow(*checked.phone)) {
    show_again(bhttp::status::too_many_requests, page_notice::rate_limited, "rate_limited");
    return;
  }

  model::raw_submission raw = std::move(checked.raw);
  raw.channel = subject.channel;
  raw.received_at = ctx_.now();
  raw.idempotency_key = token.nonce;
  raw.source_ref = subject.source_ref;
  if (subject.place_text) raw.location = subject.location;
  if (subject.service_code) raw.service_code = subject.service_code;

  for (const auto& photo : checked.photos) {
    if (!ctx_.media) {
      show_again(bhttp::status::service_unavailable, page_notice::unavailable, "storage");
      return;
    }
    auto stored = ctx_.media->put(photo.bytes, photo.name);
    if (!stored) {
      const auto code = stored.error().code;
      if (code == core::errc::payload_too_large || code == core::errc::unsupported_media_type) {
        view->errors["photo"] = code == core::errc::payload_too_large
                                    ? field_problem::photo_too_large
                                    : field_problem::photo_type;
        show_again(bhttp::status::unprocessable_entity, page_notice::fix_errors,
                   core::code_name(code));
      } else {
        core::log::error("photo_not_stored",
                         {{"channel", subject.channel}, {"reason", stored.error().message}});
        show_again(bhttp::status::service_unavailable, page_notice::unavailable,
                   core::code_name(code));
      }
      return;
    }
    if (ctx_.media_urls) stored->url = ctx_.media_urls->url_for(stored->sha256, raw.received_at);
    raw.media.push_back(std::move(*stored));
  }

  const auto retry_after = ctx_.retry_after;
  ctx_.pipeline.submit(std::move(raw), [respond, view, lang, form_path = subject.path,
                                        retry_after](core::result<model::receipt> outcome) {
    if (outcome) {
      receipt_view receipt;
      receipt.lang = lang;
      receipt.form_path = form_path;
      receipt.tracking_number = outcome->tracking_number;
      receipt.emergency_advice = emergency_advice(*outcome);
      receipt.repeat = outcome->status == model::dedup_status::duplicate && !outcome->replayed;
      respond(html_response(bhttp::status::ok, render_receipt(receipt)));
      return;
    }
    // Nothing was stored: show the form again with the input so that one press retries.
    const auto code = outcome.error().code;
    view->notice = core::is_retryable(code) ? page_notice::unavailable : page_notice::not_accepted;
    auto res = html_response(status_of(code), render_form(*view));
    if (core::is_retryable(code)) {
      res.set(bhttp::field::retry_after, std::to_string(retry_after.count()));
    }
    respond(std::move(res));
  });
}

}  // namespace intake::channels::web
