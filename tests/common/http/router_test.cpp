#include "common/http/router.hpp"

#include <gtest/gtest.h>

#include <map>
#include <stdexcept>
#include <string>
#include <vector>

namespace intake::http {
namespace {

using verb = boost::beast::http::verb;
using params = std::map<std::string, std::string>;

router make_router() {
  router r;
  auto add = [&r](std::vector<verb> methods, std::string pattern, std::string name) {
    r.add(route{std::move(methods), std::move(pattern), std::move(name), 0, nullptr});
  };
  add({verb::post}, "/api/v1/submissions", "api");
  add({verb::get}, "/form", "form_get");
  add({verb::post}, "/form", "form_post");
  add({verb::get, verb::post}, "/q/new", "q_new");  // literal added before the param route
  add({verb::get, verb::post}, "/q/{token}", "qrcode");
  add({verb::get, verb::post}, "/wechat/{account}", "wechat");
  add({verb::get}, "/a/{x}/b/{y}", "two_params");
  add({}, "/any", "any_method");
  add({verb::get}, "/", "root");
  return r;
}

TEST(router, matches_table) {
  struct row {
    verb method;
    std::string target;
    std::string route;  // expected route name; empty when an error is expected
    params expected_params;
    core::errc error = core::errc::internal;
  };
  const std::vector<row> rows = {
      {verb::post, "/api/v1/submissions", "api", {}},
      {verb::post, "/api/v1/submissions?x=1&y=2", "api", {}},
      {verb::post, "/api/v1/submissions#frag", "api", {}},
      {verb::post, "http://example.cn/api/v1/submissions", "api", {}},
      {verb::get, "/form", "form_get", {}},
      {verb::post, "/form", "form_post", {}},
      {verb::get, "/q/new", "q_new", {}},
      {verb::get, "/q/abc-123_XYZ", "qrcode", {{"token", "abc-123_XYZ"}}},
      {verb::post, "/q/t0k?sig=1", "qrcode", {{"token", "t0k"}}},
      {verb::get, "/q/%E8%B7%AF", "qrcode", {{"token", "%E8%B7%AF"}}},  // not decoded
      {verb::get, "/wechat/gh_123", "wechat", {{"account", "gh_123"}}},
      {verb::get, "/a/1/b/2", "two_params", {{"x", "1"}, {"y", "2"}}},
      {verb::delete_, "/any", "any_method", {}},
      {verb::get, "/", "root", {}},
      {verb::get, "/?q", "root", {}},
      // 404: no pattern matches the path.
      {verb::get, "/nope", "", {}, core::errc::not_found},
      {verb::post, "/api/v1/submissions/", "", {}, core::errc::not_found},
      {verb::post, "/api/v1", "", {}, core::errc::not_found},
      {verb::get, "/q/", "", {}, core::errc::not_found},  // a parameter is never empty
      {verb::get, "/q/a/b", "", {}, core::errc::not_found},
      {verb::get, "//form", "", {}, core::errc::not_found},
      {verb::get, "*", "", {}, core::errc::not_found},
      {verb::get, "", "", {}, core::errc::not_found},
      // 405: the path exists, not for this method.
      {verb::get, "/api/v1/submissions", "", {}, core::errc::method_not_allowed},
      {verb::put, "/form", "", {}, core::errc::method_not_allowed},
      {verb::delete_, "/q/abc", "", {}, core::errc::method_not_allowed},
  };

  auto r = make_router();
  for (const auto& row : rows) {
    SCOPED_TRACE(std::string(boost::beast::http::to_string(row.method)) + " " + row.target);
    auto m = r.match(row.method, row.target);
    if (row.route.empty()) {
      ASSERT_FALSE(m.has_value());
      EXPECT_EQ(m.error().code, row.error);
    } else {
      ASSERT_TRUE(m.has_value()) << core::code_name(m.error().code);
      ASSERT_NE(m->matched, nullptr);
      EXPECT_EQ(m->matched->name, row.route);
      EXPECT_EQ(m->params, row.expected_params);
    }
  }
}

TEST(router, allowed_methods_table) {
  struct row {
    std::string target;
    std::string allow;
  };
  const std::vector<row> rows = {
      {"/api/v1/submissions", "POST"},
      {"/form", "GET, POST"},  // union over two routes
      {"/q/abc?x", "GET, POST"},
      {"/q/new", "GET, POST"},  // both q_new and qrcode match; no duplicates
      {"/nope", ""},
  };
  auto r = make_router();
  for (const auto& row : rows) {
    EXPECT_EQ(r.allow_header(row.target), row.allow) << row.target;
  }
  auto m = r.match(verb::get, "/api/v1/submissions");
  ASSERT_FALSE(m.has_value());
  EXPECT_NE(m.error().message.find("POST"), std::string::npos);
}

TEST(router, first_added_route_wins) {
  router r;
  r.add(route{{verb::get}, "/q/{token}", "param", 0, nullptr});
  r.add(route{{verb::get}, "/q/new", "literal", 0, nullptr});
  auto m = r.match(verb::get, "/q/new");
  ASSERT_TRUE(m.has_value());
  EXPECT_EQ(m->matched->name, "param");
}

TEST(router, route_keeps_its_body_limit_and_handler) {
  router r;
  bool called = false;
  r.add(route{{verb::post}, "/x", "x", 512, [&called](request&&, request_context&&, respond_fn) {
                called = true;
              }});
  auto m = r.match(verb::post, "/x");
  ASSERT_TRUE(m.has_value());
  EXPECT_EQ(m->matched->body_limit, 512u);
  m->matched->fn({}, {}, nullptr);
  EXPECT_TRUE(called);
}

TEST(router, rejects_malformed_patterns) {
  const std::vector<std::string> bad = {
      "", "form", "/q/{token", "/q/token}", "/q/x{token}", "/q/{}", "/q/{a}{b}", "/q/{a{b}}"};
  for (const auto& pattern : bad) {
    router r;
    EXPECT_THROW(r.add(route{{verb::get}, pattern, "x", 0, nullptr}), std::invalid_argument)
        << pattern;
  }
}

TEST(router, target_path_table) {
  struct row {
    std::string target;
    std::string path;
  };
  const std::vector<row> rows = {
      {"/a/b?c=d", "/a/b"},   {"/a#f", "/a"},          {"/", "/"},
      {"http://h/a?x", "/a"}, {"https://h:8080", "/"}, {"/a?u=http://x/y", "/a"},
      {"http://h?x", "/"},
  };
  for (const auto& row : rows) EXPECT_EQ(target_path(row.target), row.path) << row.target;
}

}  // namespace
}  // namespace intake::http
