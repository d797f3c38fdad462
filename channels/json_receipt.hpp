#pragma once
// The JSON answers of the machine-facing intake routes (api, miniprogram): 202 accepted,
// 200 duplicate, or the error's status with {"error","message"}.
#include <chrono>

#include "common/core/result.hpp"
#include "common/http/types.hpp"
#include "common/model/submission.hpp"

namespace intake::channels {

/// The emergency advice told to the citizen with the receipt, e.g. "请立即拨打119。".
std::string emergency_advice(const model::receipt& r);

http::response receipt_response(const core::result<model::receipt>& outcome, unsigned http_version,
                                bool keep_alive, std::chrono::seconds retry_after);

}  // namespace intake::channels
