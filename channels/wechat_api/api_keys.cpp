#include "channels/wechat_api/api_keys.hpp"

#include <stdexcept>

namespace intake::channels::wechat_api {

namespace {
std::optional<std::string> check_base_url(const config::value& v) {
  const auto* s = std::get_if<std::string>(&v);
  if (!s || (s->rfind("https://", 0) != 0 && s->rfind("http://", 0) != 0)) {
    return "must be an http:// or https:// URL";
  }
  return std::nullopt;
}
std::optional<std::string> check_positive(const config::value& v) {
  const auto* i = std::get_if<std::int64_t>(&v);
  if (!i || *i < 1 || *i > 64) return "must be between 1 and 64";
  return std::nullopt;
}
}  // namespace

std::vector<config::key_spec> api_config_keys(const std::string& what) {
  return {
      {"api_base_url", config::key_type::string, std::string("https://api.weixin.qq.com"),
       "Base URL of WeChat's server API (a local stand-in in tests).", check_base_url},
      {"appid", config::key_type::string, std::string(), "AppID of the " + what + ".", nullptr,
       false, "enabled"},
      {"appsecret_file", config::key_type::secret_file, std::monostate{},
       "File holding the " + what + "'s AppSecret.", nullptr, true, "enabled"},
      {"api_timeout", config::key_type::duration, std::int64_t{5000},
       "Deadline of one call to WeChat's API."},
      {"api_threads", config::key_type::integer, std::int64_t{2},
       "Threads that make the blocking calls to WeChat's API.", check_positive},
      {"api_queue", config::key_type::integer, std::int64_t{256},
       "Requests waiting for a WeChat API call beyond which the answer is 503."},
      {"token_refresh_margin", config::key_type::duration, std::int64_t{300000},
       "The access token is fetched again this long before it expires."},
  };
}

api_settings api_settings_from(const config::config& cfg, const std::string& name) {
  const std::string prefix = "channels." + name + ".";
  api_settings s;
  s.base_url = cfg.get_string(prefix + "api_base_url");
  // Both are set: the keys are required_when "enabled", checked when the file is loaded.
  s.appid = cfg.get_string(prefix + "appid");
  s.secret = cfg.read_secret(prefix + "appsecret_file");
  s.token_refresh_margin = std::chrono::duration_cast<std::chrono::seconds>(
      cfg.get_duration(prefix + "token_refresh_margin"));
  return s;
}

transport_limits transport_limits_from(const config::config& cfg, const std::string& name) {
  transport_limits limits;
  limits.timeout = cfg.get_duration("channels." + name + ".api_timeout");
  return limits;
}

}  // namespace intake::channels::wechat_api
