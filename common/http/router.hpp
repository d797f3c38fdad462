#pragma once
// Maps a method and request target to a route. Patterns are literal segments and `{name}`
// parameters, each parameter matching exactly one non-empty segment:
//   "/api/v1/submissions", "/q/{token}", "/wechat/{account}"
#include <boost/beast/http/verb.hpp>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "common/core/result.hpp"
#include "common/http/types.hpp"

namespace intake::http {

struct route {
  /// Methods served; empty serves every method.
  std::vector<boost::beast::http::verb> methods;
  std::string pattern;
  /// The `route` label of the HTTP metrics; keep it low-cardinality (no parameters).
  std::string name;
  /// Largest request body; 0 takes server_options::body_limit.
  std::uint64_t body_limit = 0;
  handler fn;
};

/// A matched route and the parameters taken from the path.
struct route_match {
  const route* matched = nullptr;  // owned by the router
  std::map<std::string, std::string> params;
};

class router {
 public:
  /// Adds a route. Call before the server starts; routes are matched in the order added, so add
  /// a literal route before a parameter route that would also match it. Throws
  /// std::invalid_argument on a malformed pattern (startup only).
  void add(route r);

  /// Finds the route of a request target (origin-form; the query string is ignored). Errors:
  /// not_found when no pattern matches the path, method_not_allowed when one matches but not
  /// for this method (allowed_methods() gives the Allow header). Parameter values are returned
  /// as they appear in the path, without percent-decoding.
  core::result<route_match> match(boost::beast::http::verb method, std::string_view target) const;

  /// The methods served at the target's path, in the order added, without duplicates.
  std::vector<boost::beast::http::verb> allowed_methods(std::string_view target) const;

  /// The Allow header value for the target's path, e.g. "GET, POST"; empty when none.
  std::string allow_header(std::string_view target) const;

 private:
  struct segment {
    std::string text;  // literal text, or the parameter name
    bool is_param = false;
  };
  struct entry {
    route r;
    std::vector<segment> segments;
  };

  static bool path_matches(const entry& e, const std::vector<std::string_view>& path,
                           std::map<std::string, std::string>* params);

  std::vector<entry> entries_;
};

/// The path of a request target: the query and fragment are cut, and an absolute-form target
/// ("http://host/path") is reduced to its path.
std::string_view target_path(std::string_view target);

}  // namespace intake::http
