#include "channels/api/api_channel.hpp"
#include "channels/channel.hpp"
#include "channels/email/email_channel.hpp"
#include "channels/miniprogram/miniprogram_channel.hpp"
#include "channels/qrcode/qrcode_channel.hpp"
#include "channels/sms/sms_channel.hpp"
#include "channels/webform/webform_channel.hpp"
#include "channels/wechat/wechat_channel.hpp"
#include "common/config/core_keys.hpp"

namespace intake::channels {

const std::vector<channel_entry>& registry() {
  static const std::vector<channel_entry> table = {
      {"api", &api::config_keys, &api::make_channel},
      {"webform", &webform::config_keys, &webform::make_channel},
      {"qrcode", &qrcode::config_keys, &qrcode::make_channel},
      {"sms", &sms::config_keys, &sms::make_channel},
      {"email", &email::config_keys, &email::make_channel},
      {"miniprogram", &miniprogram::config_keys, &miniprogram::make_channel},
      {"wechat", &wechat::config_keys, &wechat::make_channel},
  };
  return table;
}

std::vector<config::key_spec> all_config_keys() {
  auto keys = config::core_keys();
  for (const auto& entry : registry()) {
    const std::string prefix = "channels." + std::string(entry.name) + ".";
    keys.push_back({prefix + "enabled", config::key_type::boolean, false,
                    "Serve the " + std::string(entry.name) + " channel."});
    for (auto key : entry.keys()) {
      key.path = prefix + key.path;
      if (!key.required_when.empty()) key.required_when = prefix + key.required_when;
      keys.push_back(std::move(key));
    }
  }
  return keys;
}

}  // namespace intake::channels
