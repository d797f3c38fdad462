#pragma once
// The HTML of the citizen pages: the form (with the citizen's input and each error beside its
// field), the receipt and the short refusal pages. Mobile-first, large type, high contrast,
// labels on every field, landmarks for screen readers, and no JavaScript. Everything that came
// from outside is escaped.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "channels/web/page_text.hpp"

namespace intake::channels::web {

/// One choice of the category list: the service code sent upstream and its two labels.
struct category {
  std::string code;
  std::string zh;
  std::string en;
};

struct form_view {
  language lang = language::zh;
  /// Where the form posts to ("/form", "/q/TOKEN"); also the language links' target.
  std::string action;
  std::string token;
  /// What the citizen typed, by field name (description, title, category, address, name,
  /// phone, email).
  std::map<std::string, std::string> values;
  std::map<std::string, field_problem> errors;
  page_notice notice = page_notice::none;
  /// A QR code's fixed place ("路灯 LAMP-0123，某路12号"); the address field is then not asked.
  std::optional<std::string> place;
  /// False when the category is fixed (a QR code that names a service).
  bool ask_category = true;
  const std::vector<category>* categories = nullptr;
  std::size_t max_photos = 3;
  std::uint64_t photo_max_bytes = 0;
};

struct receipt_view {
  language lang = language::zh;
  std::string form_path;  // where "report another problem" leads
  std::string tracking_number;
  /// Shown in a role=alert box when triage says emergency (channels::emergency_advice).
  std::string emergency_advice;
  /// The same person reported this before: the number is the earlier one.
  bool repeat = false;
};

std::string render_form(const form_view& view);
std::string render_receipt(const receipt_view& view);
/// A short page with a heading and one paragraph (refusals: bad QR code, cross-site post...).
std::string render_message(language lang, std::string_view heading, std::string_view message,
                           std::string_view back_link);

}  // namespace intake::channels::web
