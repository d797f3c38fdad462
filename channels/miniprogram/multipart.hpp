#pragma once
// The one file of a multipart/form-data upload (wx.uploadFile sends one file part, optionally
// with form fields). Only what the photo upload needs; pure.
#include <optional>
#include <string>
#include <string_view>

#include "common/core/result.hpp"

namespace intake::channels::miniprogram {

struct uploaded_file {
  std::string field;  // the part's name
  std::optional<std::string> filename;
  std::string_view bytes;  // points into the body
};

/// The first part that carries a filename, else the part named `file`. Errors:
/// unsupported_media_type (not multipart/form-data), bad_request (malformed, no file part).
core::result<uploaded_file> first_file(std::string_view content_type, std::string_view body);

}  // namespace intake::channels::miniprogram
