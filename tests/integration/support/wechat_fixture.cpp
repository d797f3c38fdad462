#include "tests/integration/support/wechat_fixture.hpp"

#include <fstream>

namespace intake::testing {

namespace {
std::string write_secret(const std::filesystem::path& path, const std::string& value) {
  std::ofstream(path) << value << "\n";
  std::filesystem::permissions(
      path, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  return toml_string(path.string());
}
}  // namespace

void wechat_fixture::start_wechat(const options& o, collector_config config) {
  standin_ = std::make_unique<wechat_standin>(
      dir_.path(),
      std::map<std::string, std::string>{{mp_appid, "mp-secret"}, {oa_appid, "oa-secret"}});

  auto keys = privacy::generate_key_pair();
  if (!keys || !privacy::write_key_pair((dir_.path() / "centre").string(), *keys)) {
    throw std::runtime_error("cannot make the centre's keys");
  }
  centre_keys_ = std::move(*keys);

  config.set("privacy.recipient_public_key", toml_string((dir_.path() / "centre.pub").string()));
  config.set("log.level", toml_string("debug"));
  config.set("channels.miniprogram.enabled", "true");
  config.set("channels.miniprogram.api_base_url", toml_string(standin_->base_url()));
  config.set("channels.miniprogram.appid", toml_string(mp_appid));
  config.set("channels.miniprogram.appsecret_file",
             write_secret(dir_.path() / "mp.secret", "mp-secret"));
  config.set("channels.miniprogram.content_check", o.content_check ? "true" : "false");
  config.set("channels.wechat.enabled", "true");
  config.set("channels.wechat.token_file", write_secret(dir_.path() / "oa.token", oa_token));
  config.set("channels.wechat.appid", toml_string(oa_appid));
  config.set("channels.wechat.quiet_period", toml_string(o.quiet_period));
  // The official account fetches photos from the same stand-in.
  config.set("channels.wechat.api_base_url", toml_string(standin_->base_url()));
  config.set("channels.wechat.appsecret_file",
             write_secret(dir_.path() / "oa.secret", "oa-secret"));
  if (o.safe_mode) {
    config.set("channels.wechat.encoding_aes_key_file",
               write_secret(dir_.path() / "oa.aeskey", aes_key));
  }
  start_all(std::move(config));
}

std::string wechat_fixture::metrics_text() {
  return http_.get(collector_->base_url() + "/metrics").body;
}

}  // namespace intake::testing
