#pragma once
// The citizen's web form as a browser without JavaScript uses it: read the page token from the
// page, post the fields (urlencoded, or multipart with photos), read the receipt page.

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace intake::testing {

using form_fields = std::vector<std::pair<std::string, std::string>>;

/// A file input's content, as the browser sends it.
struct form_file {
  std::string field = "photo";
  std::string filename;
  std::string content_type;
  std::string bytes;
};

/// The page token of a form page (`<input name="token" value="...">`); "" when there is none.
std::string page_token_in(std::string_view html);

/// application/x-www-form-urlencoded body of the fields, UTF-8 percent-encoded.
std::string urlencoded_body(const form_fields& fields);

/// The Content-Type of multipart_body.
inline constexpr std::string_view multipart_content_type =
    "multipart/form-data; boundary=----intake-form-boundary";
/// multipart/form-data body of the fields, then the files.
std::string multipart_body(const form_fields& fields, const std::vector<form_file>& files);

/// The tracking number a receipt page shows (#tracking-number); "" when there is none.
std::string receipt_tracking_number(std::string_view html);
/// The text of a receipt page's alert box (the emergency advice); "" when there is none.
std::string receipt_alert(std::string_view html);

}  // namespace intake::testing
