#pragma once
// The mini-program's JSON bodies: the API body (CONTRACT.md §3) plus the wx.login `code`, a
// client `request_id` and the `media` ids of uploaded photos. Pure.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/core/clock.hpp"
#include "common/core/result.hpp"
#include "common/model/raw_submission.hpp"

namespace intake::channels::miniprogram {

struct mp_submission {
  model::raw_submission raw;  // channel "miniprogram"; the openid is the caller's to add
  std::optional<std::string> code;
  std::optional<std::string> request_id;
  std::vector<std::string> media_ids;
};

/// Errors as the api channel's (415, 400, 422), plus invalid_field for a bad request_id or media.
core::result<mp_submission> decode_mp_submission(std::string_view content_type,
                                                 std::string_view body, core::sys_time received_at);

/// The `code` of POST /mp/v1/session.
core::result<std::string> decode_login(std::string_view content_type, std::string_view body);

/// The token of an "Authorization: Bearer <token>" header.
std::optional<std::string_view> bearer_token(std::string_view authorization);

/// Most photos one submission may reference.
inline constexpr std::size_t max_media_per_submission = 9;

}  // namespace intake::channels::miniprogram
