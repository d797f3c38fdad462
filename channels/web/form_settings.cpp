#include "channels/web/form_settings.hpp"

#include <stdexcept>

#include "common/pipeline/submitter_ref.hpp"

namespace intake::channels::web {

namespace {

constexpr std::int64_t kib = 1024;
constexpr std::int64_t mib = 1024 * kib;
constexpr std::int64_t second = 1000;

const std::vector<std::string>& default_categories() {
  static const std::vector<std::string> list = {
      "urban.lighting|路灯照明|Street lighting",
      "roads|道路设施|Roads and pavements",
      "sanitation|环境卫生|Rubbish and cleanliness",
      "noise|噪声扰民|Noise",
      "water|供水排水|Water and drains",
      "traffic|交通出行|Traffic and transport",
      "greenery|园林绿化|Parks and trees",
      "other|其他|Other",
  };
  return list;
}

config::validator positive() {
  return [](const config::value& v) -> std::optional<std::string> {
    const auto* n = std::get_if<std::int64_t>(&v);
    if (n && *n <= 0) return "must be greater than 0";
    return std::nullopt;
  };
}

config::validator not_negative() {
  return [](const config::value& v) -> std::optional<std::string> {
    const auto* n = std::get_if<std::int64_t>(&v);
    if (n && *n < 0) return "must be 0 (off) or more";
    return std::nullopt;
  };
}

}  // namespace

core::result<category> parse_category(std::string_view entry) {
  const auto first = entry.find('|');
  const auto second_bar =
      first == std::string_view::npos ? std::string_view::npos : entry.find('|', first + 1);
  if (second_bar == std::string_view::npos || entry.find('|', second_bar + 1) != entry.npos) {
    return core::fail(core::errc::invalid_field,
                      "a category is written \"code|中文名|English name\"");
  }
  category c{std::string(entry.substr(0, first)),
             std::string(entry.substr(first + 1, second_bar - first - 1)),
             std::string(entry.substr(second_bar + 1))};
  if (c.code.empty() || c.zh.empty() || c.en.empty()) {
    return core::fail(core::errc::invalid_field, "a category needs a code and both names");
  }
  return c;
}

std::vector<config::key_spec> form_keys() {
  using config::key_type;
  return {
      {"body_limit", key_type::size, 12 * mib,
       "Largest form post (text and photos together); a larger one is refused with 413.",
       positive()},
      {"max_photos", key_type::integer, std::int64_t{3}, "Photos one citizen may attach (0: none).",
       [](const config::value& v) -> std::optional<std::string> {
         const auto* n = std::get_if<std::int64_t>(&v);
         if (n && (*n < 0 || *n > 10)) return "must be between 0 and 10";
         return std::nullopt;
       }},
      {"photo_max_bytes", key_type::size, 4 * mib,
       "Largest photo (JPEG, PNG or HEIC, checked by content); media.max_bytes also applies.",
       positive()},
      {"max_parts", key_type::integer, std::int64_t{24},
       "Fields and files in one post; more is refused as malformed.", positive()},
      {"field_max_bytes", key_type::size, 64 * kib, "Largest text field of a post.", positive()},
      {"categories", key_type::string_list, default_categories(),
       "The category list shown on the form, each \"service_code|中文名|English name\"; the "
       "chosen code is the event's service_code.",
       [](const config::value& v) -> std::optional<std::string> {
         const auto* list = std::get_if<std::vector<std::string>>(&v);
         if (!list) return std::nullopt;
         for (const auto& entry : *list) {
           if (auto c = parse_category(entry); !c) return entry + ": " + c.error().message;
         }
         return std::nullopt;
       }},
      {"token_lifetime", key_type::duration, 7200 * second,
       "How long a form page may stay open before it must be sent again (its token expires).",
       positive()},
      {"posts_per_minute_per_ip", key_type::integer, std::int64_t{10},
       "Form posts a minute from one client address (0: no limit).", not_negative()},
      {"posts_per_hour_per_phone", key_type::integer, std::int64_t{5},
       "Form posts an hour giving one phone number (0: no limit).", not_negative()},
      {"token_key_file",
       key_type::secret_file,
       {},
       "Key that signs the form pages' tokens. When absent, a key is generated in data_dir.",
       nullptr,
       true},
  };
}

form_settings read_form_settings(const config::config& cfg, const std::string& name) {
  const std::string prefix = "channels." + name + ".";
  form_settings s;
  s.body_limit = cfg.get_size(prefix + "body_limit");
  s.max_photos = static_cast<std::size_t>(cfg.get_int(prefix + "max_photos"));
  s.photo_max_bytes = cfg.get_size(prefix + "photo_max_bytes");
  s.limits.max_parts = static_cast<std::size_t>(cfg.get_int(prefix + "max_parts"));
  s.limits.max_field_bytes = cfg.get_size(prefix + "field_max_bytes");
  for (const auto& entry : cfg.get_list(prefix + "categories")) {
    auto c = parse_category(entry);
    if (!c) throw std::runtime_error(prefix + "categories: " + c.error().message);
    s.categories.push_back(std::move(*c));
  }
  s.token_lifetime =
      std::chrono::duration_cast<std::chrono::seconds>(cfg.get_duration(prefix + "token_lifetime"));
  s.posts_per_minute_per_ip = cfg.get_int(prefix + "posts_per_minute_per_ip");
  s.posts_per_hour_per_phone = cfg.get_int(prefix + "posts_per_hour_per_phone");
  if (const auto& media_url = cfg.get_string("media.public_base_url"); !media_url.empty()) {
    s.public_urls.push_back(media_url);
  }
  return s;
}

std::string page_token_key(const config::config& cfg, const std::string& name,
                           const std::string& data_dir) {
  const std::string key = "channels." + name + ".token_key_file";
  if (cfg.has(key)) return cfg.read_secret(key);
  return pipeline::load_or_create_key(data_dir + "/" + name + "-page.key");
}

}  // namespace intake::channels::web
