#pragma once
// Serves one kind of citizen page (the web form, a QR code's page): GET shows the form with a
// fresh page token; POST checks origin, token, honeypot, rate limits and fields, stores the
// photos, hands the submission to the pipeline and answers with the receipt page once it is
// durable, or shows the form again with the input kept and the problem beside its field.
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "channels/channel.hpp"
#include "channels/web/form_settings.hpp"
#include "channels/web/page_token.hpp"
#include "common/http/rate_limiter.hpp"

namespace intake::channels::web {

/// What one page is about.
struct page_subject {
  std::string channel;  // "webform" or "qrcode"
  /// The path the page is served at and posts to ("/form", "/q/TOKEN").
  std::string path;
  /// Page tokens are valid only for the scope they were issued for ("/form", "qr:ID").
  std::string token_scope;
  /// The fixed place shown on a QR page; the address is then not asked.
  std::optional<std::string> place_text;
  model::raw_location location;
  /// A fixed service (a QR code that names one); the category is then not asked.
  std::optional<std::string> service_code;
  std::optional<std::string> source_ref;
};

class form_service {
 public:
  /// Reads what it needs from `ctx` (pipeline, media, clock, limits); `ctx` must outlive it.
  form_service(form_settings settings, std::string token_key, channel_context& ctx);

  void serve_get(const http::request& req, const page_subject& subject,
                 const http::respond_fn& respond) const;
  void serve_post(const http::request& req, const http::request_context& rc,
                  const page_subject& subject, const http::respond_fn& respond) const;

  const form_settings& settings() const { return settings_; }

 private:
  form_settings settings_;
  page_token_signer tokens_;
  channel_context& ctx_;
  std::unique_ptr<http::rate_limiter> per_ip_;
  std::unique_ptr<http::rate_limiter> per_phone_;
};

/// An HTML answer with the headers every citizen page carries (no caching: pages hold tokens
/// and receipts; a policy that allows no script and posts only to this site).
http::response html_response(boost::beast::http::status status, std::string body);

/// True when the browser says the post comes from another site: Sec-Fetch-Site: cross-site, or
/// an Origin whose host is neither the request's Host nor the host of one of `public_urls` (the
/// configured public base URLs, for a reverse proxy that does not pass Host on).
bool is_cross_site(const http::request& req, const std::vector<std::string>& public_urls = {});

}  // namespace intake::channels::web
