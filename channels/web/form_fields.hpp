#pragma once
// Checks what a citizen posted, field by field, so each problem can be shown beside its field
// while everything typed is kept. Pure: no I/O (photos are checked by size and content here and
// stored by the caller).
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "channels/web/form_data.hpp"
#include "channels/web/form_page.hpp"
#include "channels/web/page_text.hpp"
#include "common/model/raw_submission.hpp"
#include "common/pipeline/normalize_submission.hpp"

namespace intake::channels::web {

struct form_rules {
  pipeline::field_limits limits;
  std::size_t max_photos = 3;
  std::uint64_t photo_max_bytes = 5 * 1024 * 1024;
  const std::vector<category>* categories = nullptr;
  /// False on a QR page: the place comes from the code, not from the citizen.
  bool ask_address = true;
  bool ask_category = true;
};

/// A photo that passed the checks; `bytes` points into the posted form.
struct checked_photo {
  std::string_view bytes;
  std::string media_type;
  std::optional<std::string> name;
};

struct checked_form {
  language lang = language::zh;
  std::string token;
  /// The honeypot field was filled in: a robot.
  bool honeypot = false;
  /// What was typed, for showing the form again.
  std::map<std::string, std::string> values;
  std::map<std::string, field_problem> errors;
  /// The text fields as a submission (channel, place and keys are the caller's); meaningful
  /// only when `errors` is empty.
  model::raw_submission raw;
  std::vector<checked_photo> photos;
  /// The normalized phone, the key of the per-phone rate limit.
  std::optional<std::string> phone;
};

checked_form check_form(const form_data& form, const form_rules& rules);

/// The last path segment of a client's file name (some browsers send a whole Windows path),
/// cut to a sane length on a character boundary; nothing when it is empty.
std::optional<std::string> clean_file_name(std::string_view name);

}  // namespace intake::channels::web
