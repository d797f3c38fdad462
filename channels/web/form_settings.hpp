#pragma once
// The settings both citizen pages share (the web form and the QR landing page), declared once
// as config rows that each channel adds under its own [channels.<name>] table.
#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "channels/web/form_data.hpp"
#include "channels/web/form_page.hpp"
#include "common/config/config.hpp"
#include "common/config/key_spec.hpp"
#include "common/core/result.hpp"

namespace intake::channels::web {

struct form_settings {
  form_limits limits;
  std::uint64_t body_limit = 12 * 1024 * 1024;
  std::size_t max_photos = 3;
  std::uint64_t photo_max_bytes = 4 * 1024 * 1024;
  std::vector<category> categories;
  std::chrono::seconds token_lifetime{7200};
  /// Posts a minute from one address, and an hour from one phone number; 0 turns it off.
  std::int64_t posts_per_minute_per_ip = 10;
  std::int64_t posts_per_hour_per_phone = 5;
  /// Public base URLs citizens reach the collector at; a post whose Origin is one of them is
  /// from this site even when a proxy rewrote Host.
  std::vector<std::string> public_urls;
};

/// The shared rows, relative to [channels.<name>].
std::vector<config::key_spec> form_keys();

/// Reads the shared rows of channel `name`. Throws std::runtime_error on a bad category list
/// (startup only; the config validator has already checked each entry).
form_settings read_form_settings(const config::config& cfg, const std::string& name);

/// "code|中文|English" → a category; errors name what is wrong.
core::result<category> parse_category(std::string_view entry);

/// The key of the page-token signer of a channel: `{prefix}token_key_file` when set, else a
/// key generated once in `{data_dir}/{name}-page.key`. Throws (startup only).
std::string page_token_key(const config::config& cfg, const std::string& name,
                           const std::string& data_dir);

}  // namespace intake::channels::web
