#include "channels/web/form_fields.hpp"

#include <algorithm>

#include "common/media/media_type.hpp"
#include "common/normalize/email.hpp"
#include "common/normalize/phone.hpp"
#include "common/normalize/text.hpp"

namespace intake::channels::web {

namespace {

constexpr std::size_t max_file_name_bytes = 120;

bool is_photo_type(std::string_view type) {
  return type == "image/jpeg" || type == "image/png" || type == "image/heic";
}

// Checks one optional text field: kept for redisplay, an error when unreadable or too long.
std::optional<std::string> text_field(const form_data& form, checked_form& out,
                                      const std::string& name, std::size_t max_chars) {
  const auto value = form.get(name);
  if (!value) return std::nullopt;
  out.values[name] = std::string(*value);
  auto normalized = normalize::normalize_text(*value);
  if (!normalized) {
    out.errors[name] = field_problem::invalid_text;
    return std::nullopt;
  }
  if (normalized->empty()) return std::nullopt;
  if (normalize::count_chars(*normalized) > max_chars) {
    out.errors[name] = field_problem::too_long;
    return std::nullopt;
  }
  return std::string(*value);
}

}  // namespace

std::optional<std::string> clean_file_name(std::string_view name) {
  const auto slash = name.find_last_of("/\\");
  if (slash != std::string_view::npos) name.remove_prefix(slash + 1);
  if (name.size() > max_file_name_bytes) {
    std::size_t cut = max_file_name_bytes;
    // Back up to the start of a UTF-8 character so the name stays valid text.
    while (cut > 0 && (static_cast<unsigned char>(name[cut]) & 0xC0) == 0x80) --cut;
    name = name.substr(0, cut);
  }
  if (name.empty() || !normalize::normalize_text(name)) return std::nullopt;
  return std::string(name);
}

checked_form check_form(const form_data& form, const form_rules& rules) {
  checked_form out;
  out.lang = language_from(form.get("lang").value_or(""));
  out.token = std::string(form.get("token").value_or(""));
  const auto honeypot = form.get("website");
  out.honeypot = honeypot && !honeypot->empty();

  const auto& limits = rules.limits;
  if (auto description = text_field(form, out, "description", limits.description_max_chars)) {
    out.raw.description = std::move(*description);
  } else if (!out.errors.count("description")) {
    out.errors["description"] = field_problem::required;
  }
  out.raw.title = text_field(form, out, "title", limits.title_max_chars);
  if (rules.ask_address) {
    out.raw.location.address_string = text_field(form, out, "address", limits.address_max_chars);
  }
  out.raw.submitter.name = text_field(form, out, "name", limits.name_max_chars);

  if (auto phone = text_field(form, out, "phone", 64)) {
    if (auto normalized = normalize::normalize_phone(*phone)) {
      out.phone = *normalized;
      out.raw.submitter.phone = std::move(*phone);
    } else {
      out.errors["phone"] = field_problem::invalid_phone;
    }
  }
  if (auto email = text_field(form, out, "email", 254)) {
    if (normalize::normalize_email(*email)) {
      out.raw.submitter.email = std::move(*email);
    } else {
      out.errors["email"] = field_problem::invalid_email;
    }
  }

  if (rules.ask_category) {
    if (auto code = form.get("category"); code && !code->empty()) {
      out.values["category"] = std::string(*code);
      const bool known =
          rules.categories && std::any_of(rules.categories->begin(), rules.categories->end(),
                                          [&](const category& c) { return c.code == *code; });
      if (known) {
        out.raw.service_code = std::string(*code);
      } else {
        out.errors["category"] = field_problem::unknown_category;
      }
    }
  }

  const auto files = form.files("photo");
  if (files.size() > rules.max_photos) {
    out.errors["photo"] = field_problem::too_many_photos;
  } else {
    for (const auto* part : files) {
      if (part->value.size() > rules.photo_max_bytes) {
        out.errors["photo"] = field_problem::photo_too_large;
        break;
      }
      const auto type = media::sniff_media_type(part->value);
      if (!type || !is_photo_type(*type)) {
        out.errors["photo"] = field_problem::photo_type;
        break;
      }
      out.photos.push_back({part->value, std::string(*type), clean_file_name(*part->filename)});
    }
  }
  if (!out.errors.empty()) out.photos.clear();
  return out;
}

}  // namespace intake::channels::web
