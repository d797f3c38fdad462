#pragma once

#include <cstddef>
#include <optional>
#include <string>

#include "tests/integration/support/http_client.hpp"

namespace intake::testing {

/// The fields of an API submission a test varies; absent ones are left out of the JSON.
struct submission {
  std::string description;
  std::optional<std::string> title = {};
  std::optional<std::string> name = {};
  std::optional<std::string> phone = {};
  std::optional<std::string> email = {};
};

/// The JSON body of POST /api/v1/submissions (escaped by RapidJSON's writer).
std::string submission_json(const submission& s);

/// A distinct, non-urgent description for bulk sends. Bulk submissions carry no submitter, so
/// near-duplicate detection (per submitter) never folds two of them together.
std::string bulk_description(const std::string& tag, std::size_t index);

/// The answer to a submission, with the fields of its JSON body.
struct submission_answer {
  http_response response;
  std::optional<std::string> tracking_number;
  std::optional<std::string> status;  ///< "accepted" or "duplicate"
  std::optional<std::string> error;   ///< the error code of a 4xx/5xx
};

submission_answer read_answer(http_response response);

}  // namespace intake::testing
