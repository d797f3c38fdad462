// Bad input is answered in the handler with the right status and error code, and nothing of
// it is stored or forwarded.

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <thread>

#include "tests/integration/support/integration_fixture.hpp"
#include "tests/integration/support/json_fields.hpp"

namespace intake::testing {
namespace {

using namespace std::chrono_literals;

constexpr std::size_t default_api_body_limit = 256 * 1024;

struct rejection_case {
  const char* name;
  std::string body;
  std::string content_type;
  long status;
  const char* error;
};

std::string oversize_body() {
  // Valid JSON, so only its size can be the reason to refuse it.
  std::string body = R"({"description":")";
  body.append(default_api_body_limit, 'a');
  return body + "\"}";
}

std::vector<rejection_case> rejection_cases() {
  const std::string json = "application/json";
  return {
      {"malformed_json", R"({"description": "路灯坏了")", json, 400, "malformed_json"},
      {"not_an_object", R"(["路灯坏了"])", json, 400, "malformed_json"},
      {"wrong_content_type", R"({"description":"路灯坏了"})", "text/plain", 415,
       "unsupported_media_type"},
      {"form_content_type", "description=x", "application/x-www-form-urlencoded", 415,
       "unsupported_media_type"},
      {"oversize_body", oversize_body(), json, 413, "payload_too_large"},
      {"invalid_utf8", "{\"description\":\"\xe8\xb7\xaf\xff\xfe\"}", json, 400, "invalid_utf8"},
      {"missing_description", R"({"title":"路灯","submitter":{"phone":"13800138000"}})", json, 422,
       "missing_field"},
      {"bad_phone", R"({"description":"路灯坏了","submitter":{"phone":"12345"}})", json, 422,
       "invalid_phone"},
  };
}

class rejection_test : public integration_fixture {};

TEST_F(rejection_test, bad_input_gets_its_error_and_nothing_is_stored) {
  start_all();
  for (const auto& c : rejection_cases()) {
    SCOPED_TRACE(c.name);
    auto answer = submit_raw(c.body, c.content_type);
    EXPECT_EQ(answer.response.status, c.status) << answer.response.body << answer.response.error;
    EXPECT_EQ(answer.error, c.error) << answer.response.body;
    EXPECT_TRUE(json_string(answer.response.body, "/message")) << answer.response.body;
    EXPECT_FALSE(answer.tracking_number) << answer.response.body;
  }

  // A stored submission would be published within milliseconds; wait well past that.
  EXPECT_FALSE(feed_->wait_for(1, 1500ms)) << "an event was published for bad input";
  EXPECT_EQ(outbox_depth_metric(), 0.0);
  const auto status = collector_->ctl_status();
  ASSERT_EQ(status.exit_status, 0) << status.output;
  EXPECT_EQ(json_int(status.output, "/outbox_depth"), 0) << status.output;

  // And the collector still takes good input after all that.
  auto good = submit({.description = "路灯坏了", .phone = "13800138000"});
  EXPECT_EQ(good.response.status, 202) << good.response.body;
  EXPECT_TRUE(feed_->wait_for(1, 10s));
}

}  // namespace
}  // namespace intake::testing
