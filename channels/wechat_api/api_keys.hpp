#pragma once
// The [channels.<name>] keys both WeChat channels need to call WeChat's API, declared once.
#include <string>
#include <vector>

#include "channels/wechat_api/api_client.hpp"
#include "channels/wechat_api/http_transport.hpp"
#include "common/config/config.hpp"
#include "common/config/key_spec.hpp"

namespace intake::channels::wechat_api {

/// api_base_url, appid, appsecret_file, api_timeout, api_threads, api_queue, token_refresh_margin.
std::vector<config::key_spec> api_config_keys(const std::string& what);

/// The settings of channel `name` (reads the appsecret file). Throws at startup when missing.
api_settings api_settings_from(const config::config& cfg, const std::string& name);
transport_limits transport_limits_from(const config::config& cfg, const std::string& name);

}  // namespace intake::channels::wechat_api
