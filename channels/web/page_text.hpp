#pragma once
// The words of the citizen pages in simplified Chinese (the default) and English, kept together
// so a page can never mix languages or miss a translation.
#include <string_view>

namespace intake::channels::web {

enum class language { zh, en };

/// "en" → English; anything else → Chinese.
language language_from(std::string_view code);
/// The lang attribute: "zh-CN" or "en".
std::string_view lang_attribute(language l);
/// The value carried in links and the hidden field: "zh" or "en".
std::string_view lang_code(language l);

/// Why a field was not accepted; each is shown beside its field.
enum class field_problem {
  required,
  too_long,
  invalid_text,
  invalid_phone,
  invalid_email,
  unknown_category,
  too_many_photos,
  photo_too_large,
  photo_type,
};

/// Page-level notices shown above the form (the input is kept).
enum class page_notice {
  none,
  fix_errors,
  expired,
  rate_limited,
  unavailable,
  not_accepted,
};

struct page_text {
  std::string_view site;
  std::string_view title;
  std::string_view intro;
  std::string_view other_language;  // the link's text, in the other language
  std::string_view language_nav;
  std::string_view required;
  std::string_view optional;
  std::string_view description;
  std::string_view description_hint;
  std::string_view subject;
  std::string_view category;
  std::string_view category_none;
  std::string_view address;
  std::string_view address_hint;
  std::string_view contact;
  std::string_view contact_hint;
  std::string_view name;
  std::string_view phone;
  std::string_view email;
  std::string_view photos;
  std::string_view photos_hint;  // %n = how many, %m = MB each
  std::string_view honeypot;
  std::string_view consent;
  std::string_view submit;
  std::string_view emergency_footer;
  std::string_view place_heading;
  std::string_view error_summary;
  std::string_view receipt_title;
  std::string_view receipt_number;
  std::string_view receipt_keep;
  std::string_view receipt_repeat;
  std::string_view receipt_again;
  std::string_view back_to_form;
  std::string_view token_invalid_title;
  std::string_view token_invalid;
  std::string_view token_revoked_title;
  std::string_view token_revoked;
  std::string_view refused_title;
  std::string_view cross_site;
  std::string_view bad_body;
  std::string_view too_large;
  std::string_view honeypot_refused;
};

const page_text& text_for(language l);
std::string_view problem_text(language l, field_problem p);
std::string_view notice_text(language l, page_notice n);

}  // namespace intake::channels::web
