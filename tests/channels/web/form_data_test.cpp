#include "channels/web/form_data.hpp"

#include <gtest/gtest.h>

namespace intake::channels::web {
namespace {

using namespace std::string_literals;

constexpr const char* ct = "multipart/form-data; boundary=XyZ";

std::string part(const std::string& name, const std::string& value) {
  return "--XyZ\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\n" + value + "\r\n";
}

struct multipart_case {
  std::string name;
  std::string content_type;
  std::string body;
  std::optional<core::errc> error;  // nothing: parsed
  std::size_t parts = 0;
};

TEST(parse_multipart, table) {
  const std::string end = "--XyZ--\r\n";
  const std::string file =
      "--XyZ\r\nContent-Disposition: form-data; name=\"photo\"; filename=\"a.jpg\"\r\n"
      "Content-Type: image/jpeg\r\n\r\n\xff\xd8\xff\x00\r\n--Xy\r\n"s;
  form_limits small;
  const std::vector<multipart_case> cases = {
      {"one field", ct, part("description", "路灯坏了") + end, {}, 1},
      {"two fields", ct, part("a", "1") + part("b", "2") + end, {}, 2},
      {"empty value", ct, part("a", "") + end, {}, 1},
      {"file whose bytes look like a boundary", ct, file + "\r\n" + end, {}, 1},
      {"preamble and epilogue", ct, "preamble\r\n" + part("a", "1") + end + "epilogue", {}, 1},
      {"quoted boundary", "multipart/form-data; boundary=\"XyZ\"", part("a", "1") + end, {}, 1},
      {"boundary param in other case",
       "Multipart/Form-Data; BOUNDARY=XyZ",
       part("a", "1") + end,
       {},
       1},
      {"no close delimiter", ct, part("a", "1"), core::errc::bad_request},
      {"cut in the middle of a value", ct,
       "--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nabc", core::errc::bad_request},
      {"cut in the headers", ct, "--XyZ\r\nContent-Disposition: form-da", core::errc::bad_request},
      {"no boundary parameter", "multipart/form-data", part("a", "1") + end,
       core::errc::bad_request},
      {"empty boundary", "multipart/form-data; boundary=", part("a", "1") + end,
       core::errc::bad_request},
      {"boundary over 70 characters", "multipart/form-data; boundary=" + std::string(71, 'b'),
       "--" + std::string(71, 'b') + "--\r\n", core::errc::bad_request},
      {"body without the boundary", ct, "hello", core::errc::bad_request},
      {"empty body", ct, "", core::errc::bad_request},
      {"bare LF line ends", ct, "--XyZ\nContent-Disposition: form-data; name=\"a\"\n\n1\n--XyZ--\n",
       core::errc::bad_request},
      {"no content-disposition", ct, "--XyZ\r\nContent-Type: text/plain\r\n\r\n1\r\n" + end,
       core::errc::bad_request},
      {"not form-data", ct,
       "--XyZ\r\nContent-Disposition: attachment; name=\"a\"\r\n\r\n1\r\n" + end,
       core::errc::bad_request},
      {"no field name", ct, "--XyZ\r\nContent-Disposition: form-data\r\n\r\n1\r\n" + end,
       core::errc::bad_request},
      {"header line without colon", ct,
       "--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\nbogus\r\n\r\n1\r\n" + end,
       core::errc::bad_request},
      {"folded header line", ct,
       "--XyZ\r\nContent-Disposition: form-data;\r\n name=\"a\"\r\n\r\n1\r\n" + end,
       core::errc::bad_request},
      {"unterminated quoted name", ct,
       "--XyZ\r\nContent-Disposition: form-data; name=\"a\r\n\r\n1\r\n" + end,
       core::errc::bad_request},
      {"garbage after the delimiter", ct, "--XyZjunk\r\n" + part("a", "1").substr(5) + end,
       core::errc::bad_request},
      {"headers over the limit", ct,
       "--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\nX-Pad: " + std::string(4000, 'p') +
           "\r\n\r\n1\r\n" + end,
       core::errc::payload_too_large},
      {"text field over the limit", ct, part("a", std::string(64 * 1024 + 1, 'x')) + end,
       core::errc::payload_too_large},
  };
  for (const auto& c : cases) {
    auto r = parse_multipart(c.content_type, c.body, small);
    if (c.error) {
      ASSERT_FALSE(r) << c.name;
      EXPECT_EQ(r.error().code, *c.error) << c.name << ": " << r.error().message;
    } else {
      ASSERT_TRUE(r) << c.name << ": " << r.error().message;
      EXPECT_EQ(r->parts.size(), c.parts) << c.name;
    }
  }
}

TEST(parse_multipart, fields_and_files_keep_their_bytes) {
  const std::string jpeg = "\xff\xd8\xff\xe0 binary \r\n--Xy \0 bytes"s;
  const std::string body =
      part("description", "路灯<坏了>") +
      "--XyZ\r\nContent-Disposition: form-data; name=\"photo\"; filename=\"C:\\\\dir\\\\a "
      "\\\"b\\\".jpg\"\r\n"
      "Content-Type: image/jpeg\r\n\r\n" +
      jpeg + "\r\n" +
      "--XyZ\r\nContent-Disposition: form-data; name=\"photo\"; filename=\"\"\r\n"
      "Content-Type: application/octet-stream\r\n\r\n\r\n--XyZ--";
  auto r = parse_multipart(ct, body, form_limits{});
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->get("description"), "路灯<坏了>");
  EXPECT_FALSE(r->get("photo")) << "a file is not a text field";
  const auto files = r->files("photo");
  ASSERT_EQ(files.size(), 1u) << "an empty file input sends an empty part, which is no file";
  EXPECT_EQ(files[0]->value, jpeg);
  EXPECT_EQ(files[0]->filename, "C:\\dir\\a \"b\".jpg");
  EXPECT_EQ(files[0]->content_type, "image/jpeg");
}

TEST(parse_multipart, part_count_is_bounded) {
  form_limits limits;
  limits.max_parts = 3;
  std::string body;
  for (int i = 0; i < 3; ++i) body += part("f" + std::to_string(i), "x");
  EXPECT_TRUE(parse_multipart(ct, body + "--XyZ--", limits));
  auto r = parse_multipart(ct, body + part("f3", "x") + "--XyZ--", limits);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, core::errc::bad_request);
}

TEST(parse_multipart, many_near_boundaries_stay_fast) {
  // A file full of "\r\n--Xy" (almost the delimiter) must not make the search quadratic.
  std::string filler;
  for (int i = 0; i < 200000; ++i) filler += "\r\n--Xy";
  const std::string body =
      "--XyZ\r\nContent-Disposition: form-data; name=\"photo\"; filename=\"a\"\r\n\r\n" + filler +
      "\r\n--XyZ--";
  const auto start = std::chrono::steady_clock::now();
  auto r = parse_multipart(ct, body, form_limits{});
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->parts[0].value, filler);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(2));
}

struct urlencoded_case {
  std::string name;
  std::string body;
  std::optional<core::errc> error;
  std::vector<std::pair<std::string, std::string>> fields;
};

TEST(parse_urlencoded, table) {
  const std::vector<urlencoded_case> cases = {
      {"simple", "a=1&b=2", {}, {{"a", "1"}, {"b", "2"}}},
      {"plus is space", "a=x+y", {}, {{"a", "x y"}}},
      {"percent escapes", "d=%E8%B7%AF%E7%81%AF%2B%26", {}, {{"d", "路灯+&"}}},
      {"lower-case hex", "d=%e8%b7%af", {}, {{"d", "路"}}},
      {"no value", "a&b=", {}, {{"a", ""}, {"b", ""}}},
      {"empty pairs skipped", "&&a=1&&", {}, {{"a", "1"}}},
      {"empty body", "", {}, {}},
      {"equals in value", "a=b=c", {}, {{"a", "b=c"}}},
      {"bad hex", "a=%zz", core::errc::bad_request, {}},
      {"cut-off escape", "a=%e", core::errc::bad_request, {}},
      {"lone percent", "a=%", core::errc::bad_request, {}},
      {"long name", std::string(30, 'x') + "=1&y=2", {}, {{std::string(30, 'x'), "1"}, {"y", "2"}}},
  };
  for (const auto& c : cases) {
    auto r = parse_urlencoded(c.body, form_limits{});
    if (c.error) {
      ASSERT_FALSE(r) << c.name;
      EXPECT_EQ(r.error().code, *c.error) << c.name;
      continue;
    }
    ASSERT_TRUE(r) << c.name << ": " << r.error().message;
    ASSERT_EQ(r->parts.size(), c.fields.size()) << c.name;
    for (std::size_t i = 0; i < c.fields.size(); ++i) {
      EXPECT_EQ(r->parts[i].name, c.fields[i].first) << c.name;
      EXPECT_EQ(r->parts[i].value, c.fields[i].second) << c.name;
    }
  }
}

TEST(parse_urlencoded, limits) {
  form_limits limits;
  limits.max_parts = 2;
  limits.max_field_bytes = 10;
  EXPECT_TRUE(parse_urlencoded("a=1&b=2", limits));
  auto many = parse_urlencoded("a=1&b=2&c=3", limits);
  ASSERT_FALSE(many);
  EXPECT_EQ(many.error().code, core::errc::bad_request);
  auto big = parse_urlencoded("a=" + std::string(11, 'x'), limits);
  ASSERT_FALSE(big);
  EXPECT_EQ(big.error().code, core::errc::payload_too_large);
}

TEST(parse_form, dispatches_on_media_type) {
  const form_limits limits;
  EXPECT_TRUE(parse_form("application/x-www-form-urlencoded", "a=1", limits));
  EXPECT_TRUE(parse_form("application/x-www-form-urlencoded; charset=UTF-8", "a=1", limits));
  EXPECT_TRUE(parse_form(ct, part("a", "1") + "--XyZ--", limits));
  for (const char* other : {"application/json", "text/plain", ""}) {
    auto r = parse_form(other, "a=1", limits);
    ASSERT_FALSE(r) << other;
    EXPECT_EQ(r.error().code, core::errc::unsupported_media_type) << other;
  }
}

TEST(header_parameter, table) {
  EXPECT_EQ(header_parameter("form-data; name=\"a\"; filename=\"b.jpg\"", "name"), "a");
  EXPECT_EQ(header_parameter("form-data; name=\"a\"; filename=\"b.jpg\"", "filename"), "b.jpg");
  EXPECT_EQ(header_parameter("form-data; filename=\"b.jpg\"", "name"), std::nullopt);
  EXPECT_EQ(header_parameter("form-data; NAME=a ; x=y", "name"), "a");
  EXPECT_EQ(header_parameter("form-data; name=\"a;b\"", "name"), "a;b");
  EXPECT_EQ(header_parameter("form-data; name=\"open", "name"), std::nullopt);
  EXPECT_EQ(header_parameter("multipart/form-data; boundary=----x", "boundary"), "----x");
}

TEST(parse_query, reads_the_target) {
  EXPECT_EQ(parse_query("/form?lang=en").get("lang"), "en");
  EXPECT_EQ(parse_query("/form?lang=en#top").get("lang"), "en");
  EXPECT_FALSE(parse_query("/form").get("lang"));
  EXPECT_FALSE(parse_query("/form?lang=%zz").get("lang"));
}

}  // namespace
}  // namespace intake::channels::web
