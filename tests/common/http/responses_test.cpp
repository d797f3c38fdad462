#include "common/http/responses.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace intake::http {
namespace {

namespace bhttp = boost::beast::http;
using namespace std::chrono_literals;

TEST(responses, error_response_table) {
  struct row {
    core::errc code;
    unsigned status;
    std::string retry_after;  // empty: no header
  };
  const std::vector<row> rows = {
      {core::errc::bad_request, 400, ""},    {core::errc::payload_too_large, 413, ""},
      {core::errc::not_found, 404, ""},      {core::errc::method_not_allowed, 405, ""},
      {core::errc::rate_limited, 429, "7"},  {core::errc::outbox_full, 503, "7"},
      {core::errc::shutting_down, 503, "7"}, {core::errc::internal, 500, ""},
  };
  for (const auto& r : rows) {
    auto res = make_error_response(core::make_error(r.code, "why"), 11, true, 7s);
    std::string name(core::code_name(r.code));
    EXPECT_EQ(res.result_int(), r.status) << name;
    EXPECT_EQ(res.body(), R"({"error":")" + name + R"(","message":"why"})");
    EXPECT_EQ(res[bhttp::field::retry_after], r.retry_after) << name;
    EXPECT_EQ(res[bhttp::field::content_type], "application/json; charset=utf-8");
    EXPECT_EQ(res[bhttp::field::content_length], std::to_string(res.body().size()));
    EXPECT_TRUE(res.keep_alive());
  }
}

TEST(responses, error_response_version_and_close) {
  auto res = make_error_response(core::make_error(core::errc::outbox_full, "full"), 10, false, 0s);
  EXPECT_EQ(res.version(), 10u);
  EXPECT_FALSE(res.keep_alive());
  EXPECT_EQ(res[bhttp::field::retry_after], "");  // 0 means no header
}

TEST(responses, json_response_drops_forbidden_bodies) {
  auto ok = make_json_response(bhttp::status::accepted, R"({"status":"accepted"})");
  EXPECT_EQ(ok.result(), bhttp::status::accepted);
  EXPECT_EQ(ok.body(), R"({"status":"accepted"})");
  EXPECT_EQ(ok[bhttp::field::content_length], "21");

  auto none = make_json_response(bhttp::status::no_content, "x");
  EXPECT_EQ(none.body(), "");
}

}  // namespace
}  // namespace intake::http
