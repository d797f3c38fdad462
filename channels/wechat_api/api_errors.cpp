#include "channels/wechat_api/api_errors.hpp"

#include <string>

namespace intake::channels::wechat_api {

bool is_token_rejected(int code) {
  return code == errcode::access_token_expired || code == errcode::invalid_credential ||
         code == errcode::invalid_access_token;
}

std::optional<core::error> error_of(int code) {
  switch (code) {
    case errcode::ok:
      return std::nullopt;
    case errcode::invalid_code:
    case errcode::code_used:
      return core::make_error(core::errc::unauthorized,
                              "the login code is invalid or already used; call wx.login again");
    case errcode::rate_limited:
      return core::make_error(core::errc::rate_limited,
                              "WeChat's API is rate limited for this app; retry later");
    case errcode::system_busy:
      return core::make_error(core::errc::upstream_unavailable, "WeChat is busy; retry later");
    case errcode::invalid_media_id:
      return core::make_error(core::errc::invalid_field, "WeChat does not know this media id");
    default:
      if (is_token_rejected(code)) {
        return core::make_error(core::errc::upstream_unavailable,
                                "WeChat refused the access token twice");
      }
      return core::make_error(core::errc::upstream_unavailable,
                              "WeChat's API answered errcode " + std::to_string(code));
  }
}

}  // namespace intake::channels::wechat_api
