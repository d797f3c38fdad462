#pragma once
// WeChat's documented errcode values, mapped once to the collector's typed errors.
#include <optional>

#include "common/core/error.hpp"

namespace intake::channels::wechat_api {

/// Error codes the client acts on.
namespace errcode {
inline constexpr int system_busy = -1;
inline constexpr int ok = 0;
inline constexpr int invalid_credential = 40001;  // access token invalid (e.g. replaced)
inline constexpr int invalid_access_token = 40014;
inline constexpr int invalid_code = 40029;
inline constexpr int code_used = 40163;
inline constexpr int access_token_expired = 42001;
inline constexpr int rate_limited = 45011;
inline constexpr int invalid_media_id = 40007;
}  // namespace errcode

/// True for the codes that mean "fetch a new access token and try once more".
bool is_token_rejected(int code);

/// The error of a non-zero errcode; nothing for 0. The message never repeats errmsg verbatim
/// (it may echo request values back).
std::optional<core::error> error_of(int code);

}  // namespace intake::channels::wechat_api
