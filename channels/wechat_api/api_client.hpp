#pragma once
// The calls the WeChat channels make to WeChat's servers, at a configurable base URL
// (https://api.weixin.qq.com in production, a local stand-in in tests). Blocking: call from
// api_worker threads, never from the HTTP server's.
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "channels/wechat_api/access_token_cache.hpp"
#include "channels/wechat_api/http_transport.hpp"
#include "common/core/clock.hpp"
#include "common/core/result.hpp"

namespace intake::channels::wechat_api {

struct api_settings {
  std::string base_url = "https://api.weixin.qq.com";
  std::string appid;
  std::string secret;
  std::chrono::seconds token_refresh_margin{300};
};

/// What jscode2session tells about a login; session_key is dropped (the collector decrypts no
/// client data with it).
struct login_session {
  std::string openid;
  std::optional<std::string> unionid;
};

/// msg_sec_check's verdict.
enum class text_verdict { pass, review, risky };

class api_client {
 public:
  api_client(api_settings settings, std::shared_ptr<http_transport> transport,
             std::function<core::sys_time()> now = core::system_now);

  /// sns/jscode2session. Errors: unauthorized (40029 invalid code, 40163 used code),
  /// rate_limited (45011), upstream_unavailable (-1, no answer).
  core::result<login_session> code_to_session(std::string_view code);

  /// wxa/msg_sec_check (version 2) of a user's text.
  core::result<text_verdict> check_text(std::string_view openid, std::string_view text);

  /// cgi-bin/media/get: the bytes of a temporary media (an official-account photo).
  core::result<std::string> download_media(std::string_view media_id);

  /// The cached access token (fetched via cgi-bin/stable_token when needed).
  core::result<std::string> access_token() { return tokens_.get(); }

 private:
  core::result<struct access_token> fetch_token(bool force_refresh);
  /// Runs `call(token)`; when WeChat rejects the token (42001, 40001), fetches a new one and
  /// runs it once more.
  template <class T>
  core::result<T> with_token(const std::function<core::result<T>(const std::string&, int&)>& call);

  api_settings settings_;
  std::shared_ptr<http_transport> transport_;
  access_token_cache tokens_;
};

}  // namespace intake::channels::wechat_api
