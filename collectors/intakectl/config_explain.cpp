#include "collectors/intakectl/config_explain.hpp"

#include <sstream>

#include "channels/channel.hpp"

namespace intake::ctl {

namespace {

std::string duration_text(std::int64_t ms) {
  struct unit {
    std::int64_t ms;
    const char* suffix;
  };
  for (const unit u :
       {unit{86'400'000, "d"}, unit{3'600'000, "h"}, unit{60'000, "m"}, unit{1000, "s"}}) {
    // Days only from a week up: "72h" reads as the config files write it.
    if (u.ms == 86'400'000 && ms < 7 * u.ms) continue;
    if (ms != 0 && ms % u.ms == 0) return std::to_string(ms / u.ms) + u.suffix;
  }
  return std::to_string(ms) + "ms";
}

std::string size_text(std::int64_t bytes) {
  struct unit {
    std::int64_t bytes;
    const char* suffix;
  };
  for (const unit u : {unit{1LL << 30, "GiB"}, unit{1LL << 20, "MiB"}, unit{1LL << 10, "KiB"}}) {
    if (bytes != 0 && bytes % u.bytes == 0) return std::to_string(bytes / u.bytes) + u.suffix;
  }
  return std::to_string(bytes);
}

std::string quoted(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

}  // namespace

std::string value_text(const config::value& v, config::key_type type) {
  if (std::holds_alternative<std::monostate>(v)) return "(not set)";
  if (const auto* i = std::get_if<std::int64_t>(&v)) {
    if (type == config::key_type::duration) return quoted(duration_text(*i));
    if (type == config::key_type::size) return quoted(size_text(*i));
    return std::to_string(*i);
  }
  if (const auto* d = std::get_if<double>(&v)) {
    std::ostringstream os;
    os << *d;
    return os.str();
  }
  if (const auto* b = std::get_if<bool>(&v)) return *b ? "true" : "false";
  if (const auto* s = std::get_if<std::string>(&v)) return quoted(*s);
  const auto& list = std::get<std::vector<std::string>>(v);
  std::string out = "[";
  for (std::size_t i = 0; i < list.size(); ++i) out += (i ? ", " : "") + quoted(list[i]);
  return out + "]";
}

int explain_config_key(const std::string& key, const config::config* cfg, std::ostream& out,
                       std::ostream& err) {
  const auto keys = channels::all_config_keys();
  for (const auto& k : keys) {
    if (k.path != key) continue;
    out << k.path << "\n"
        << "  type:     " << config::type_name(k.type) << "\n"
        << "  default:  "
        << (std::holds_alternative<std::monostate>(k.default_value)
                ? (k.optional_key ? std::string("(none: optional)") : std::string("(required)"))
                : value_text(k.default_value, k.type))
        << "\n";
    if (cfg) {
      // A secret_file key's value is the file's path; the secret itself is never printed.
      out << "  in effect: " << value_text(cfg->at(k.path), k.type) << "  (" << cfg->source()
          << ")\n";
    }
    out << "  " << k.description << "\n";
    return 0;
  }
  err << "intakectl: no configuration key " << key << "\n";
  // Suggest keys of the same section, or containing the last word, so a typo finds its key.
  const auto dot = key.rfind('.');
  const std::string section = dot == std::string::npos ? key : key.substr(0, dot + 1);
  const std::string leaf = dot == std::string::npos ? key : key.substr(dot + 1);
  bool any = false;
  for (const auto& k : keys) {
    if (k.path.rfind(section, 0) == 0 ||
        (!leaf.empty() && k.path.find(leaf) != std::string::npos)) {
      if (!any) err << "keys that come close:\n";
      any = true;
      err << "  " << k.path << "\n";
    }
  }
  return 1;
}

}  // namespace intake::ctl
