#pragma once
#include <cstddef>

#include "common/core/result.hpp"
#include "common/model/raw_submission.hpp"
#include "common/model/submission.hpp"

namespace intake::pipeline {

struct field_limits {
  std::size_t description_max_chars = 5000;
  std::size_t title_max_chars = 200;
  std::size_t name_max_chars = 64;
  std::size_t address_max_chars = 500;
};

/// Turns what a channel decoded into a normalized submission, or says which field is wrong.
/// Sets everything but the submitter's ref and the triage.
core::result<model::submission> normalize_submission(model::raw_submission raw,
                                                     const field_limits& limits);

}  // namespace intake::pipeline
