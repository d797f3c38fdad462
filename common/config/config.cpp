#include "common/config/config.hpp"

#include <toml++/toml.h>
#include <fstream>
#include <set>
#include <sstream>

namespace intake::config {

std::string_view type_name(key_type t) {
  switch (t) {
    case key_type::string:
      return "string";
    case key_type::integer:
      return "integer";
    case key_type::floating:
      return "number";
    case key_type::boolean:
      return "boolean";
    case key_type::string_list:
      return "string or array of strings";
    case key_type::duration:
      return "duration (e.g. \"30s\", \"72h\")";
    case key_type::size:
      return "size (e.g. 1048576, \"64MiB\")";
    case key_type::secret_file:
      return "path to a secret file";
  }
  return "value";
}

namespace {

std::string join_problems(const std::vector<std::string>& problems) {
  std::string out;
  for (const auto& p : problems) {
    if (!out.empty()) out += '\n';
    out += p;
  }
  return out;
}

std::optional<std::int64_t> parse_with_units(
    const std::string& text,
    std::initializer_list<std::pair<std::string_view, std::int64_t>> units) {
  std::size_t i = 0;
  while (i < text.size() && (std::isdigit(static_cast<unsigned char>(text[i])))) ++i;
  if (i == 0) return std::nullopt;
  std::int64_t number = 0;
  try {
    number = std::stoll(text.substr(0, i));
  } catch (...) {
    return std::nullopt;
  }
  std::string unit = text.substr(i);
  while (!unit.empty() && unit.front() == ' ') unit.erase(unit.begin());
  for (const auto& [name, factor] : units) {
    if (unit == name) {
      if (factor != 0 && number > INT64_MAX / factor) return std::nullopt;
      return number * factor;
    }
  }
  return std::nullopt;
}

struct loader {
  const std::string& file;
  const std::vector<key_spec>& specs;
  std::vector<std::string> problems;
  std::map<std::string, value> values;
  std::set<std::string> rejected;              // present but invalid: not "missing" as well
  std::map<std::string, std::uint32_t> lines;  // where each key given in the file is

  void problem(std::uint32_t line, const std::string& key, const std::string& reason) {
    problems.push_back(file + ":" + std::to_string(line) + ": " + key + ": " + reason);
  }

  const key_spec* find_spec(const std::string& path) const {
    for (const auto& s : specs) {
      if (s.path == path) return &s;
    }
    return nullptr;
  }

  bool is_table_prefix(const std::string& path) const {
    const std::string prefix = path + ".";
    for (const auto& s : specs) {
      if (s.path.compare(0, prefix.size(), prefix) == 0) return true;
    }
    return false;
  }

  std::optional<value> convert(const key_spec& spec, const toml::node& node, std::string& reason) {
    switch (spec.type) {
      case key_type::string:
        if (auto v = node.value<std::string>(); v && node.is_string()) return value{*v};
        break;
      case key_type::secret_file: {
        if (!node.is_string()) break;
        std::string path = *node.value<std::string>();
        std::ifstream in(path);
        if (!in) {
          reason = "cannot read secret file " + path;
          return std::nullopt;
        }
        return value{path};
      }
      case key_type::integer:
        if (node.is_integer()) return value{*node.value<std::int64_t>()};
        break;
      case key_type::floating:
        if (node.is_floating_point() || node.is_integer()) return value{*node.value<double>()};
        break;
      case key_type::boolean:
        if (node.is_boolean()) return value{*node.value<bool>()};
        break;
      case key_type::string_list: {
        if (node.is_string()) return value{std::vector<std::string>{*node.value<std::string>()}};
        if (const auto* arr = node.as_array()) {
          std::vector<std::string> out;
          for (const auto& el : *arr) {
            if (!el.is_string()) {
              reason = "expected an array of strings";
              return std::nullopt;
            }
            out.push_back(*el.value<std::string>());
          }
          return value{out};
        }
        break;
      }
      case key_type::duration: {
        if (node.is_integer()) return value{*node.value<std::int64_t>()};
        if (node.is_string()) {
          if (auto ms = parse_duration_ms(*node.value<std::string>())) return value{*ms};
          reason = "not a duration (use e.g. \"500ms\", \"30s\", \"5m\", \"72h\", \"7d\")";
          return std::nullopt;
        }
        break;
      }
      case key_type::size: {
        if (node.is_integer()) return value{*node.value<std::int64_t>()};
        if (node.is_string()) {
          if (auto bytes = parse_size_bytes(*node.value<std::string>())) return value{*bytes};
          reason = "not a size (use bytes or e.g. \"64KiB\", \"16MiB\", \"2GiB\")";
          return std::nullopt;
        }
        break;
      }
    }
    reason = "expected " + std::string(type_name(spec.type));
    return std::nullopt;
  }

  void walk(const toml::table& table, const std::string& prefix) {
    for (const auto& [k, node] : table) {
      const std::string path =
          prefix.empty() ? std::string(k.str()) : prefix + "." + std::string(k.str());
      const auto line = node.source().begin.line;
      if (const auto* sub = node.as_table()) {
        if (find_spec(path) == nullptr && is_table_prefix(path)) {
          walk(*sub, path);
          continue;
        }
        problem(line, path, "unknown section");
        continue;
      }
      const key_spec* spec = find_spec(path);
      if (spec == nullptr) {
        problem(line, path, "unknown key");
        continue;
      }
      std::string reason;
      auto converted = convert(*spec, node, reason);
      if (!converted) {
        problem(line, path, reason);
        rejected.insert(path);
        continue;
      }
      if (spec->check) {
        if (auto bad = spec->check(*converted)) {
          problem(line, path, *bad);
          rejected.insert(path);
          continue;
        }
      }
      values[path] = std::move(*converted);
      lines[path] = line;
    }
  }

  void fill_defaults() {
    for (const auto& spec : specs) {
      if (values.count(spec.path) || rejected.count(spec.path)) continue;
      if (std::holds_alternative<std::monostate>(spec.default_value)) {
        if (!spec.optional_key) problem(1, spec.path, "required key is missing");
        continue;
      }
      values[spec.path] = spec.default_value;
    }
  }

  static bool is_empty(const value& v) {
    if (std::holds_alternative<std::monostate>(v)) return true;
    if (const auto* text = std::get_if<std::string>(&v)) return text->empty();
    if (const auto* list = std::get_if<std::vector<std::string>>(&v)) return list->empty();
    return false;
  }

  // A key that only matters when something is switched on (a channel's credentials) is reported
  // at the line that switched it on, where the operator will look.
  void check_required_when() {
    for (const auto& spec : specs) {
      if (spec.required_when.empty() || rejected.count(spec.path)) continue;
      const auto condition = values.find(spec.required_when);
      if (condition == values.end()) continue;
      const auto* on = std::get_if<bool>(&condition->second);
      if (on == nullptr || !*on) continue;
      const auto given = values.find(spec.path);
      if (given != values.end() && !is_empty(given->second)) continue;
      const auto at = lines.count(spec.required_when) ? lines[spec.required_when] : 1;
      problem(at, spec.path, "required when " + spec.required_when + " = true");
    }
  }
};

config finish(const std::string& name, const std::vector<key_spec>& specs, const toml::table& table,
              std::map<std::string, value>& out_values,
              std::map<std::string, key_type>& out_types) {
  loader l{name, specs, {}, {}, {}};
  l.walk(table, "");
  l.fill_defaults();
  l.check_required_when();
  if (!l.problems.empty()) throw config_error(std::move(l.problems));
  out_values = std::move(l.values);
  for (const auto& s : specs) out_types[s.path] = s.type;
  return {};
}

}  // namespace

config_error::config_error(std::vector<std::string> problems)
    : std::runtime_error(join_problems(problems)), problems_(std::move(problems)) {}

std::optional<std::int64_t> parse_duration_ms(const std::string& text) {
  return parse_with_units(
      text, {{"", 1}, {"ms", 1}, {"s", 1000}, {"m", 60'000}, {"h", 3'600'000}, {"d", 86'400'000}});
}

std::optional<std::int64_t> parse_size_bytes(const std::string& text) {
  return parse_with_units(text, {{"", 1},
                                 {"B", 1},
                                 {"KB", 1000},
                                 {"KiB", 1024},
                                 {"MB", 1000'000},
                                 {"MiB", 1024 * 1024},
                                 {"GB", 1000'000'000},
                                 {"GiB", 1024LL * 1024 * 1024}});
}

config config::load_string(const std::string& text, const std::string& name,
                           const std::vector<key_spec>& specs) {
  toml::table table;
  try {
    table = toml::parse(text, name);
  } catch (const toml::parse_error& e) {
    throw config_error({name + ":" + std::to_string(e.source().begin.line) +
                        ": (syntax): " + std::string(e.description())});
  }
  config c;
  finish(name, specs, table, c.values_, c.types_);
  c.source_ = name;
  return c;
}

config config::load_file(const std::string& path, const std::vector<key_spec>& specs) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw config_error({path + ":0: (file): cannot open the configuration file"});
  std::stringstream ss;
  ss << in.rdbuf();
  return load_string(ss.str(), path, specs);
}

const value& config::at(const std::string& path) const {
  auto it = values_.find(path);
  if (it == values_.end()) {
    if (types_.count(path)) throw std::logic_error("configuration key has no value: " + path);
    throw std::logic_error("configuration key not declared: " + path);
  }
  return it->second;
}

bool config::has(const std::string& path) const {
  return values_.count(path) != 0;
}

const std::string& config::get_string(const std::string& path) const {
  return std::get<std::string>(at(path));
}
std::int64_t config::get_int(const std::string& path) const {
  return std::get<std::int64_t>(at(path));
}
double config::get_double(const std::string& path) const {
  return std::get<double>(at(path));
}
bool config::get_bool(const std::string& path) const {
  return std::get<bool>(at(path));
}
const std::vector<std::string>& config::get_list(const std::string& path) const {
  return std::get<std::vector<std::string>>(at(path));
}
std::chrono::milliseconds config::get_duration(const std::string& path) const {
  return std::chrono::milliseconds(std::get<std::int64_t>(at(path)));
}
std::uint64_t config::get_size(const std::string& path) const {
  return static_cast<std::uint64_t>(std::get<std::int64_t>(at(path)));
}

std::string config::read_secret(const std::string& path) const {
  const std::string& file = get_string(path);
  std::ifstream in(file, std::ios::binary);
  if (!in) throw std::runtime_error(path + ": cannot read secret file");
  std::stringstream ss;
  ss << in.rdbuf();
  std::string secret = ss.str();
  while (!secret.empty() && (secret.back() == '\n' || secret.back() == '\r')) secret.pop_back();
  return secret;
}

}  // namespace intake::config
