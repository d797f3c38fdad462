#include "channels/qrcode/qr_settings.hpp"

#include <stdexcept>

#include "common/core/durable_file.hpp"
#include "common/pipeline/submitter_ref.hpp"

namespace intake::channels::qrcode {

std::vector<config::key_spec> qr_keys() {
  using config::key_type;
  return {
      {"key_file",
       key_type::secret_file,
       {},
       "Key that signs the QR codes (`intakectl qr issue` and the collector must share it). When "
       "absent, a key is generated in data_dir.",
       nullptr,
       true},
      {"revocation_file", key_type::string, std::string{},
       "File of withdrawn QR token ids (`intakectl qr revoke`), reread when it changes. Empty: "
       "{data_dir}/qr-revoked.txt."},
      {"public_base_url", key_type::string, std::string{},
       "Base URL printed in the QR codes ({base}/q/{token}). Empty: media.public_base_url.",
       [](const config::value& v) -> std::optional<std::string> {
         const auto* s = std::get_if<std::string>(&v);
         if (s && !s->empty() && s->rfind("http://", 0) != 0 && s->rfind("https://", 0) != 0) {
           return "must be an http:// or https:// URL";
         }
         return std::nullopt;
       }},
  };
}

std::string qr_signing_key(const config::config& cfg) {
  if (cfg.has("channels.qrcode.key_file")) return cfg.read_secret("channels.qrcode.key_file");
  const std::string& data_dir = cfg.get_string("collector.data_dir");
  // intakectl may issue the first code before the collector has ever run.
  if (auto r = core::make_directories(data_dir); !r) throw std::runtime_error(r.error().message);
  return pipeline::load_or_create_key(data_dir + "/qrcode.key");
}

std::string revocation_path(const config::config& cfg) {
  const auto& path = cfg.get_string("channels.qrcode.revocation_file");
  if (!path.empty()) return path;
  return cfg.get_string("collector.data_dir") + "/qr-revoked.txt";
}

std::string qr_base_url(const config::config& cfg) {
  std::string base = cfg.get_string("channels.qrcode.public_base_url");
  if (base.empty()) base = cfg.get_string("media.public_base_url");
  while (!base.empty() && base.back() == '/') base.pop_back();
  return base;
}

}  // namespace intake::channels::qrcode
