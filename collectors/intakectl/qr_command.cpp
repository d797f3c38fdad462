#include "collectors/intakectl/qr_command.hpp"

#include <charconv>
#include <fstream>
#include <map>
#include <optional>

#include "channels/channel.hpp"
#include "channels/qrcode/qr_image.hpp"
#include "channels/qrcode/qr_settings.hpp"
#include "channels/qrcode/qr_token.hpp"
#include "channels/qrcode/revocation_list.hpp"
#include "common/core/clock.hpp"
#include "common/core/durable_file.hpp"

namespace {

namespace qr = intake::channels::qrcode;

// Codes larger than this are hard to scan from a poster at arm's length.
constexpr int max_version = 10;

void usage(std::ostream& out) {
  out << "usage: intakectl qr issue --asset-id ID --address TEXT [--lat DEG --long DEG]\n"
         "                         [--service-code CODE] --out FILE.svg|FILE.png\n"
         "                         [--config FILE]\n"
         "       intakectl qr revoke TOKEN-ID [--config FILE]\n"
         "  issue makes a signed code for {public_base_url}/q/{token} (channels.qrcode.\n"
         "  public_base_url, else media.public_base_url) and prints its token id; revoke adds\n"
         "  the id to the revocation list the collector rereads (no restart needed)\n";
}

std::optional<double> parse_double(const std::string& text) {
  double v = 0;
  const auto r = std::from_chars(text.data(), text.data() + text.size(), v);
  if (r.ec != std::errc{} || r.ptr != text.data() + text.size()) return std::nullopt;
  return v;
}

std::optional<intake::config::config> load(const std::string& path, std::ostream& err) {
  try {
    return intake::config::config::load_file(path, intake::channels::all_config_keys());
  } catch (const intake::config::config_error& e) {
    for (const auto& p : e.problems()) err << p << "\n";
    return std::nullopt;
  }
}

bool ends_with(const std::string& s, std::string_view suffix) {
  return s.size() >= suffix.size() &&
         s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

int issue(const std::map<std::string, std::string>& opts, const intake::config::config& cfg,
          std::ostream& out, std::ostream& err) {
  const auto get = [&](const std::string& k) -> std::optional<std::string> {
    auto it = opts.find(k);
    if (it == opts.end()) return std::nullopt;
    return it->second;
  };
  const auto out_file = get("--out");
  if (!get("--asset-id") || !get("--address") || !out_file ||
      !(ends_with(*out_file, ".svg") || ends_with(*out_file, ".png"))) {
    usage(err);
    return 2;
  }
  qr::qr_asset asset;
  asset.asset_id = *get("--asset-id");
  asset.address = *get("--address");
  asset.service_code = get("--service-code");
  if (get("--lat") || get("--long")) {
    asset.lat = parse_double(get("--lat").value_or(""));
    asset.lon = parse_double(get("--long").value_or(""));
    if (!asset.lat || !asset.lon) {
      err << "intakectl: --lat and --long must both be given as decimal degrees\n";
      return 2;
    }
  }
  const std::string base = qr::qr_base_url(cfg);
  if (base.empty()) {
    err << "intakectl: set channels.qrcode.public_base_url (or media.public_base_url) to the "
           "address citizens' phones reach the collector at\n";
    return 2;
  }
  std::string key;
  try {
    key = qr::qr_signing_key(cfg);
  } catch (const std::exception& e) {
    err << "intakectl: " << e.what() << "\n";
    return 1;
  }
  const std::string id = qr::new_token_id();
  auto token = qr::qr_signer(key).issue(asset, id);
  if (!token) {
    err << "intakectl: " << token.error().message << "\n";
    return 2;
  }
  const std::string url = base + "/q/" + *token;
  auto code = qr::encode_qr(url);
  if (!code) {
    err << "intakectl: " << code.error().message << "\n";
    return 1;
  }
  if (code->version > max_version) {
    err << "intakectl: the code would be QR version " << code->version << " (at most "
        << max_version << " scans reliably from a poster); shorten the address, asset id or "
        << "base URL\n";
    return 2;
  }
  std::string bytes;
  if (ends_with(*out_file, ".png")) {
    auto png = qr::to_png(*code);
    if (!png) {
      err << "intakectl: " << png.error().message << "\n";
      return 1;
    }
    bytes = std::move(*png);
  } else {
    bytes = qr::to_svg(*code, asset.asset_id + " " + asset.address);
  }
  if (auto w = intake::core::write_file_durably(*out_file, bytes, 0644); !w) {
    err << "intakectl: " << w.error().message << "\n";
    return 1;
  }
  out << "token id: " << id << "\nurl:      " << url << "\nversion:  " << code->version
      << " (error correction M, " << code->width << "x" << code->width << " modules)\nwrote "
      << *out_file << "\n";
  return 0;
}

int revoke(const std::string& id, const intake::config::config& cfg, std::ostream& out,
           std::ostream& err) {
  if (!qr::is_token_id(id)) {
    err << "intakectl: " << id << " is not a token id (8 characters A-Z, 2-7)\n";
    return 2;
  }
  const std::string path = qr::revocation_path(cfg);
  const auto when = intake::core::format_rfc3339(intake::core::system_now());
  if (auto r = qr::revocation_list::add(path, id, "revoked " + when); !r) {
    err << "intakectl: " << r.error().message << "\n";
    return 1;
  }
  out << "revoked " << id << " (" << path << ")\n";
  return 0;
}

}  // namespace

int run_qr_command(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  if (args.size() < 2 || (args[1] != "issue" && args[1] != "revoke")) {
    usage(err);
    return 2;
  }
  std::map<std::string, std::string> opts;
  std::vector<std::string> words;
  for (std::size_t i = 2; i < args.size(); ++i) {
    if (args[i].rfind("--", 0) == 0) {
      if (i + 1 >= args.size()) {
        usage(err);
        return 2;
      }
      opts[args[i]] = args[i + 1];
      ++i;
    } else {
      words.push_back(args[i]);
    }
  }
  static const std::vector<std::string> known = {"--config", "--asset-id",     "--address", "--lat",
                                                 "--long",   "--service-code", "--out"};
  for (const auto& [k, v] : opts) {
    if (std::find(known.begin(), known.end(), k) == known.end()) {
      err << "intakectl: unknown option " << k << "\n";
      usage(err);
      return 2;
    }
  }
  const std::string config_path =
      opts.count("--config") ? opts["--config"] : "/etc/intake-edge/collector.toml";
  auto cfg = load(config_path, err);
  if (!cfg) return 2;
  if (args[1] == "issue") {
    if (!words.empty()) {
      usage(err);
      return 2;
    }
    return issue(opts, *cfg, out, err);
  }
  if (words.size() != 1) {
    usage(err);
    return 2;
  }
  return revoke(words[0], *cfg, out, err);
}
