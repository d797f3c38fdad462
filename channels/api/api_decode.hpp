#pragma once
// The generic JSON intake (POST /api/v1/submissions): body and headers → RawSubmission. Pure.
#include <optional>
#include <string_view>

#include "common/core/result.hpp"
#include "common/model/raw_submission.hpp"

namespace intake::channels::api {

/// Decodes the API body. `content_type` is the request's Content-Type header; `idempotency_key`
/// its Idempotency-Key header when present.
core::result<model::raw_submission> decode_submission(
    std::string_view content_type, std::string_view body,
    std::optional<std::string_view> idempotency_key, core::sys_time received_at);

}  // namespace intake::channels::api
