#include "channels/miniprogram/mp_request.hpp"

#include <gtest/gtest.h>

#include "channels/miniprogram/multipart.hpp"

namespace intake::channels::miniprogram {
namespace {

const core::sys_time t0{std::chrono::seconds(1714037059)};

TEST(mp_request, decodes_a_submission) {
  auto out =
      decode_mp_submission("application/json",
                           R"({"description":"路灯不亮","code":"ok:oX:1","request_id":"req-1",)"
                           R"("media":["a-b"],"location":{"lat":22.5,"long":114.1}})",
                           t0);
  ASSERT_TRUE(out) << out.error().message;
  EXPECT_EQ(out->raw.channel, "miniprogram");
  EXPECT_EQ(out->raw.description, "路灯不亮");
  EXPECT_EQ(*out->code, "ok:oX:1");
  EXPECT_EQ(*out->request_id, "req-1");
  ASSERT_EQ(out->media_ids.size(), 1u);
  EXPECT_EQ(*out->raw.location.lat, 22.5);
}

TEST(mp_request, refuses_bad_submissions) {
  struct row {
    std::string name;
    std::string content_type;
    std::string body;
    core::errc code;
  };
  const row rows[] = {
      {"not json", "text/plain", "{}", core::errc::unsupported_media_type},
      {"no description", "application/json", "{}", core::errc::missing_field},
      {"request id too long", "application/json",
       R"({"description":"x","request_id":")" + std::string(65, 'a') + "\"}",
       core::errc::invalid_field},
      {"request id with spaces", "application/json", R"({"description":"x","request_id":"a b"})",
       core::errc::invalid_field},
      {"media not an array", "application/json", R"({"description":"x","media":"a"})",
       core::errc::invalid_field},
      {"too many media", "application/json",
       R"({"description":"x","media":["1","2","3","4","5","6","7","8","9","10"]})",
       core::errc::invalid_field},
  };
  for (const auto& r : rows) {
    auto out = decode_mp_submission(r.content_type, r.body, t0);
    ASSERT_FALSE(out) << r.name;
    EXPECT_EQ(out.error().code, r.code) << r.name;
  }
}

TEST(mp_request, reads_bearer_tokens_and_login_bodies) {
  EXPECT_EQ(*bearer_token("Bearer abc"), "abc");
  EXPECT_EQ(*bearer_token("bearer abc"), "abc");
  EXPECT_FALSE(bearer_token("Basic abc"));
  EXPECT_FALSE(bearer_token("Bearer "));
  EXPECT_EQ(*decode_login("application/json", R"({"code":"0a1b"})"), "0a1b");
  EXPECT_FALSE(decode_login("application/json", R"({})"));
  EXPECT_FALSE(decode_login("application/json", "nope"));
}

TEST(multipart, finds_the_uploaded_file) {
  const std::string body =
      "--XyZ\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\nhello\r\n"
      "--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.jpg\"\r\n"
      "Content-Type: image/jpeg\r\n\r\n\xFF\xD8\xFF\r\nbytes\r\n--XyZ--\r\n";
  auto file = first_file("multipart/form-data; boundary=XyZ", body);
  ASSERT_TRUE(file) << file.error().message;
  EXPECT_EQ(file->field, "file");
  EXPECT_EQ(*file->filename, "a.jpg");
  EXPECT_EQ(file->bytes, "\xFF\xD8\xFF\r\nbytes");
  auto quoted = first_file("multipart/form-data; boundary=\"XyZ\"", body);
  ASSERT_TRUE(quoted);
}

TEST(multipart, refuses_malformed_uploads) {
  struct row {
    std::string name;
    std::string content_type;
    std::string body;
    core::errc code;
  };
  const row rows[] = {
      {"not multipart", "image/jpeg", "x", core::errc::unsupported_media_type},
      {"no boundary", "multipart/form-data", "x", core::errc::bad_request},
      {"no delimiter", "multipart/form-data; boundary=B", "x", core::errc::bad_request},
      {"unterminated part", "multipart/form-data; boundary=B",
       "--B\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a\"\r\n\r\nabc",
       core::errc::bad_request},
      {"no file part", "multipart/form-data; boundary=B",
       "--B\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\nabc\r\n--B--",
       core::errc::missing_field},
  };
  for (const auto& r : rows) {
    auto out = first_file(r.content_type, r.body);
    ASSERT_FALSE(out) << r.name;
    EXPECT_EQ(out.error().code, r.code) << r.name;
  }
}

}  // namespace
}  // namespace intake::channels::miniprogram
