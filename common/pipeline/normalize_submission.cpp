#include "common/pipeline/normalize_submission.hpp"

#include <cmath>
#include <regex>

#include "common/normalize/email.hpp"
#include "common/normalize/phone.hpp"
#include "common/normalize/text.hpp"

namespace intake::pipeline {

namespace {

core::result<std::string> normalized_field(std::string_view name, std::string_view value,
                                           std::size_t max_chars) {
  auto text = normalize::normalize_text(value);
  if (!text) return core::fail(core::errc::invalid_utf8, std::string(name) + " is not valid UTF-8");
  const auto chars = normalize::count_chars(*text);
  if (chars > max_chars) {
    return core::fail(core::errc::field_too_long,
                      std::string(name) + " has " + std::to_string(chars) +
                          " characters; at most " + std::to_string(max_chars) + " are accepted");
  }
  return text;
}

// Optional text fields: absent or blank after normalization means "not given".
core::result<std::optional<std::string>> optional_field(std::string_view name,
                                                        const std::optional<std::string>& value,
                                                        std::size_t max_chars) {
  if (!value) return std::optional<std::string>{};
  auto text = normalized_field(name, *value, max_chars);
  if (!text) return tl::unexpected(text.error());
  if (text->empty()) return std::optional<std::string>{};
  return std::optional<std::string>{std::move(*text)};
}

core::result<void> check_code(std::string_view name, const std::optional<std::string>& value) {
  static const std::regex code_pattern("[A-Za-z0-9._:/-]{1,64}");
  if (value && !std::regex_match(*value, code_pattern)) {
    return core::fail(core::errc::invalid_field,
                      std::string(name) + " must be 1-64 characters of A-Z a-z 0-9 . _ : / -");
  }
  return {};
}

}  // namespace

core::result<model::submission> normalize_submission(model::raw_submission raw,
                                                     const field_limits& limits) {
  model::submission s;
  s.channel = std::move(raw.channel);
  s.received_at = raw.received_at;
  s.idempotency_key = std::move(raw.idempotency_key);
  s.source_ref = std::move(raw.source_ref);
  s.media = std::move(raw.media);
  s.undecodable = std::move(raw.undecodable);
  s.reserved_tracking_number = std::move(raw.reserved_tracking_number);

  auto description = normalized_field("description", raw.description, limits.description_max_chars);
  if (!description) return tl::unexpected(description.error());
  if (description->empty()) return core::fail(core::errc::missing_field, "description is required");
  s.description = std::move(*description);
  s.description_original = std::move(raw.description);
  s.match_text = normalize::fold_for_matching(s.description);

  auto title = optional_field("title", raw.title, limits.title_max_chars);
  if (!title) return tl::unexpected(title.error());
  s.title = std::move(*title);

  if (auto r = check_code("service_code", raw.service_code); !r) return tl::unexpected(r.error());
  s.service_code = std::move(raw.service_code);

  auto address =
      optional_field("address_string", raw.location.address_string, limits.address_max_chars);
  if (!address) return tl::unexpected(address.error());
  s.location.address_string = std::move(*address);
  if (auto r = check_code("address_id", raw.location.address_id); !r)
    return tl::unexpected(r.error());
  if (auto r = check_code("asset_id", raw.location.asset_id); !r) return tl::unexpected(r.error());
  s.location.address_id = std::move(raw.location.address_id);
  s.location.asset_id = std::move(raw.location.asset_id);
  s.location.verified = raw.location.verified;
  if (raw.location.lat.has_value() != raw.location.lon.has_value()) {
    return core::fail(core::errc::invalid_field, "lat and long must be given together");
  }
  if (raw.location.lat) {
    const double lat = *raw.location.lat, lon = *raw.location.lon;
    if (!std::isfinite(lat) || !std::isfinite(lon) || lat < -90 || lat > 90 || lon < -180 ||
        lon > 180) {
      return core::fail(core::errc::invalid_field,
                        "lat must be in [-90, 90] and long in [-180, 180]");
    }
    s.location.lat = lat;
    s.location.lon = lon;
  }

  auto name = optional_field("submitter.name", raw.submitter.name, limits.name_max_chars);
  if (!name) return tl::unexpected(name.error());
  s.person.name = std::move(*name);
  if (raw.submitter.phone && !raw.submitter.phone->empty()) {
    auto phone = normalize::normalize_phone(*raw.submitter.phone);
    if (!phone) return tl::unexpected(phone.error());
    s.person.phone_masked = normalize::mask_phone(*phone);
    s.person.phone = std::move(*phone);
  }
  if (raw.submitter.email && !raw.submitter.email->empty()) {
    auto email = normalize::normalize_email(*raw.submitter.email);
    if (!email) return tl::unexpected(email.error());
    s.person.email_masked = normalize::mask_email(*email);
    s.person.email = std::move(*email);
  }
  if (raw.submitter.openid && !raw.submitter.openid->empty())
    s.person.openid = raw.submitter.openid;
  return s;
}

}  // namespace intake::pipeline
