#include "channels/email/smtp_reply_transport.hpp"

#include <gtest/gtest.h>

namespace intake::channels::email {
namespace {

struct outcome_case {
  const char* name;
  core::result<void> sent;
  reply::send_outcome expected;
};

TEST(smtp_reply_transport, maps_each_smtp_result_to_what_the_dispatcher_does) {
  const outcome_case cases[] = {
      {"accepted", {}, reply::send_outcome::sent},
      {"5xx refusal is final", core::fail(core::errc::invalid_email, "smtp refused for good (550)"),
       reply::send_outcome::drop},
      {"connection refused is retried", core::fail(core::errc::internal, "smtp send: refused"),
       reply::send_outcome::retry},
      {"timeout is retried", core::fail(core::errc::request_timeout, "smtp send: timed out"),
       reply::send_outcome::retry},
  };
  for (const auto& c : cases) EXPECT_EQ(send_outcome_of(c.sent), c.expected) << c.name;
}

TEST(smtp_reply_transport, an_unreachable_server_is_a_retry_not_a_drop) {
  server_endpoint smtp;
  smtp.url = "smtp://127.0.0.1:1";  // nothing listens on port 1
  smtp.allow_plaintext = true;
  smtp.connect_timeout = std::chrono::milliseconds(2000);
  smtp_reply_transport t(smtp, "12345@mail.county.gov.cn");
  EXPECT_EQ(t.send({"zhang.san@example.cn", "Subject: x\r\n\r\nx\r\n", "T1"}),
            reply::send_outcome::retry);
}

}  // namespace
}  // namespace intake::channels::email
