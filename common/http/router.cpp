#include "common/http/router.hpp"

#include <algorithm>
#include <stdexcept>

namespace intake::http {

namespace verb_ns = boost::beast::http;

namespace {

// "/a/b/" → {"a", "b", ""}; "/" → {""}. The caller has checked the leading '/'.
std::vector<std::string_view> split_path(std::string_view path) {
  std::vector<std::string_view> out;
  path.remove_prefix(1);
  for (;;) {
    auto slash = path.find('/');
    out.push_back(path.substr(0, slash));
    if (slash == std::string_view::npos) break;
    path.remove_prefix(slash + 1);
  }
  return out;
}

bool serves(const route& r, verb_ns::verb method) {
  return r.methods.empty() ||
         std::find(r.methods.begin(), r.methods.end(), method) != r.methods.end();
}

}  // namespace

std::string_view target_path(std::string_view target) {
  if (auto scheme = target.find("://");
      scheme != std::string_view::npos && scheme < target.find_first_of("/?#")) {
    target.remove_prefix(scheme + 3);
    auto path = target.find_first_of("/?#");
    target = path == std::string_view::npos ? std::string_view("/") : target.substr(path);
    if (target.front() != '/') return "/";
  }
  return target.substr(0, target.find_first_of("?#"));
}

void router::add(route r) {
  if (r.pattern.empty() || r.pattern.front() != '/') {
    throw std::invalid_argument("route pattern must start with '/': " + r.pattern);
  }
  entry e;
  for (auto part : split_path(r.pattern)) {
    auto open = part.find('{');
    auto close = part.find('}');
    if (open == std::string_view::npos && close == std::string_view::npos) {
      e.segments.push_back({std::string(part), false});
    } else if (open == 0 && close == part.size() - 1 && part.size() > 2 &&
               part.find_first_of("{}/", 1) == part.size() - 1) {
      e.segments.push_back({std::string(part.substr(1, part.size() - 2)), true});
    } else {
      // A parameter must be a whole segment; "/q/x{token}" is a typo, not a feature.
      throw std::invalid_argument("route pattern has a malformed {parameter}: " + r.pattern);
    }
  }
  e.r = std::move(r);
  entries_.push_back(std::move(e));
}

bool router::path_matches(const entry& e, const std::vector<std::string_view>& path,
                          std::map<std::string, std::string>* params) {
  if (e.segments.size() != path.size()) return false;
  for (std::size_t i = 0; i < path.size(); ++i) {
    const auto& seg = e.segments[i];
    if (seg.is_param ? path[i].empty() : seg.text != path[i]) return false;
  }
  if (params) {
    for (std::size_t i = 0; i < path.size(); ++i) {
      if (e.segments[i].is_param) (*params)[e.segments[i].text] = std::string(path[i]);
    }
  }
  return true;
}

core::result<route_match> router::match(verb_ns::verb method, std::string_view target) const {
  auto path = target_path(target);
  if (path.empty() || path.front() != '/') return core::fail(core::errc::not_found, "no such path");
  auto parts = split_path(path);
  bool path_known = false;
  for (const auto& e : entries_) {
    if (!path_matches(e, parts, nullptr)) continue;
    path_known = true;
    if (!serves(e.r, method)) continue;
    route_match m;
    m.matched = &e.r;
    path_matches(e, parts, &m.params);
    return m;
  }
  if (path_known) {
    return core::fail(core::errc::method_not_allowed,
                      "method not allowed; allowed: " + allow_header(target));
  }
  return core::fail(core::errc::not_found, "no such path");
}

std::vector<verb_ns::verb> router::allowed_methods(std::string_view target) const {
  std::vector<verb_ns::verb> out;
  auto path = target_path(target);
  if (path.empty() || path.front() != '/') return out;
  auto parts = split_path(path);
  for (const auto& e : entries_) {
    if (!path_matches(e, parts, nullptr)) continue;
    for (auto m : e.r.methods) {
      if (std::find(out.begin(), out.end(), m) == out.end()) out.push_back(m);
    }
  }
  return out;
}

std::string router::allow_header(std::string_view target) const {
  std::string out;
  for (auto m : allowed_methods(target)) {
    if (!out.empty()) out += ", ";
    out.append(verb_ns::to_string(m));
  }
  return out;
}

}  // namespace intake::http
