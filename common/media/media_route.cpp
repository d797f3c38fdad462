#include "common/media/media_route.hpp"

#include "common/http/responses.hpp"
#include "common/media/sealed_media.hpp"

namespace intake::media {

namespace {
namespace bhttp = boost::beast::http;

/// The value of `name` in a query string (no percent-decoding: the values are digits and hex).
std::string_view query_value(std::string_view target, std::string_view name) {
  const auto q = target.find('?');
  if (q == std::string_view::npos) return {};
  std::string_view rest = target.substr(q + 1);
  while (!rest.empty()) {
    const auto amp = rest.find('&');
    const std::string_view pair = rest.substr(0, amp);
    const auto eq = pair.find('=');
    if (eq != std::string_view::npos && pair.substr(0, eq) == name) return pair.substr(eq + 1);
    if (amp == std::string_view::npos) break;
    rest = rest.substr(amp + 1);
  }
  return {};
}

}  // namespace

http::route make_media_route(const media_store& store, const media_url_signer& signer,
                             std::function<core::sys_time()> now) {
  return http::route{
      {bhttp::verb::get},
      "/media/{sha256}",
      "media",
      0,
      [&store, &signer, now = std::move(now)](http::request&& req, http::request_context&& rc,
                                              http::respond_fn respond) {
        const auto fail = [&](const core::error& err) {
          respond(http::make_error_response(err, req.version(), req.keep_alive(), {}));
        };
        const std::string& hash = rc.params["sha256"];
        const std::string_view target = req.target();
        if (auto ok =
                signer.verify(hash, query_value(target, "exp"), query_value(target, "sig"), now());
            !ok) {
          return fail(ok.error());
        }
        auto file = store.read(hash);
        if (!file) return fail(file.error());
        http::response res{bhttp::status::ok, req.version()};
        // A sealed file is served as it is kept: only the centre's key opens it, and its first
        // line names the type (sealed_media.hpp).
        res.set(bhttp::field::content_type,
                file->sealed ? std::string(sealed_media_content_type) : file->media_type);
        // Content addressed: what a hash names never changes.
        res.set(bhttp::field::cache_control, "private, max-age=86400, immutable");
        res.set("X-Content-Type-Options", "nosniff");
        res.keep_alive(req.keep_alive());
        res.body() = std::move(file->bytes);
        res.prepare_payload();
        respond(std::move(res));
      }};
}

}  // namespace intake::media
