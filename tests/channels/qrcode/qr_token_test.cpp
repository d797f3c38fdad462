#include "channels/qrcode/qr_token.hpp"

#include <gtest/gtest.h>

#include "channels/qrcode/base32.hpp"
#include "channels/qrcode/qr_image.hpp"

namespace intake::channels::qrcode {
namespace {

const std::string key = "0123456789abcdef-qr-key";

qr_asset lamp() {
  return {"LAMP-0123", "某路12号", 22.543096, 114.057865, "urban.lighting"};
}

TEST(base32, round_trips_and_refuses_what_is_not_base32) {
  for (const std::string& bytes : {std::string(), std::string("f"), std::string("fo"),
                                   std::string("foobar"), std::string("\x00\xff\x10", 3)}) {
    EXPECT_EQ(base32_decode(base32_encode(bytes)), bytes);
  }
  EXPECT_EQ(base32_encode("foobar"), "MZXW6YTBOI");
  EXPECT_FALSE(base32_decode("mzxw6ytboi")) << "lower case is not the alphabet";
  EXPECT_FALSE(base32_decode("MZXW6YTBO1"));
  EXPECT_FALSE(base32_decode("MZXW6YTBOJ")) << "non-zero padding bits";
  EXPECT_FALSE(base32_decode("MZXW6YTBOIA")) << "a dangling character";
}

TEST(qr_token, issue_and_verify_round_trip) {
  const qr_signer signer(key);
  const auto id = new_token_id();
  ASSERT_TRUE(is_token_id(id));
  auto token = signer.issue(lamp(), id);
  ASSERT_TRUE(token) << token.error().message;
  auto back = signer.verify(*token);
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(back->id, id);
  EXPECT_EQ(back->asset.asset_id, "LAMP-0123");
  EXPECT_EQ(back->asset.address, "某路12号");
  EXPECT_EQ(back->asset.service_code, "urban.lighting");
  ASSERT_TRUE(back->asset.lat && back->asset.lon);
  EXPECT_NEAR(*back->asset.lat, 22.543096, 1e-6);
  EXPECT_NEAR(*back->asset.lon, 114.057865, 1e-6);

  qr_asset bare{"BIN-7", "某街3号", std::nullopt, std::nullopt, std::nullopt};
  auto minimal = signer.verify(*signer.issue(bare, id));
  ASSERT_TRUE(minimal);
  EXPECT_FALSE(minimal->asset.lat);
  EXPECT_FALSE(minimal->asset.service_code);
}

TEST(qr_token, every_altered_character_is_refused) {
  const qr_signer signer(key);
  const auto token = *signer.issue(lamp(), new_token_id());
  for (std::size_t i = 0; i < token.size(); ++i) {
    std::string altered = token;
    altered[i] = altered[i] == 'A' ? 'B' : 'A';
    EXPECT_FALSE(signer.verify(altered)) << "position " << i;
  }
}

TEST(qr_token, forged_truncated_and_foreign_tokens_are_refused) {
  const qr_signer signer(key);
  const auto token = *signer.issue(lamp(), new_token_id());
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"empty", ""},
      {"truncated by one", token.substr(0, token.size() - 1)},
      {"truncated by half", token.substr(0, token.size() / 2)},
      {"extended", token + "AA"},
      {"lower case",
       [&] {
         std::string s = token;
         for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
         return s;
       }()},
      {"another key's token", *qr_signer("fedcba9876543210-other").issue(lamp(), new_token_id())},
      {"not base32", "hello world"},
      {"huge", std::string(10000, 'A')},
  };
  for (const auto& [name, t] : cases) {
    auto r = signer.verify(t);
    ASSERT_FALSE(r) << name;
    EXPECT_EQ(r.error().code, core::errc::bad_request) << name;
  }
}

TEST(qr_token, issue_refuses_bad_assets) {
  const qr_signer signer(key);
  const auto id = new_token_id();
  auto with = [](auto change) {
    auto a = lamp();
    change(a);
    return a;
  };
  const std::vector<std::pair<std::string, qr_asset>> cases = {
      {"empty asset id", with([](qr_asset& a) { a.asset_id.clear(); })},
      {"empty address", with([](qr_asset& a) { a.address.clear(); })},
      {"asset id too long", with([](qr_asset& a) { a.asset_id = std::string(65, 'A'); })},
      {"address too long", with([](qr_asset& a) { a.address = std::string(256, 'a'); })},
      {"lat without long", with([](qr_asset& a) { a.lon.reset(); })},
      {"lat out of range", with([](qr_asset& a) { a.lat = 91; })},
      {"long out of range", with([](qr_asset& a) { a.lon = -181; })},
      {"empty service code", with([](qr_asset& a) { a.service_code = ""; })},
  };
  for (const auto& [name, asset] : cases) EXPECT_FALSE(signer.issue(asset, id)) << name;
  EXPECT_FALSE(signer.issue(lamp(), "short"));
  EXPECT_FALSE(is_token_id("ABCDEFG1"));
  EXPECT_THROW(qr_signer("short"), std::invalid_argument);
}

// What a code costs: the version (size) of the code of {base}/q/{token} at level M. Version 10
// (57×57 modules) is the largest that scans reliably from a poster.
TEST(qr_token, codes_stay_at_or_below_version_10) {
  const qr_signer signer(key);
  struct sized_case {
    std::string name;
    std::string base;
    qr_asset asset;
    int max_version;
  };
  const std::vector<sized_case> cases = {
      {"typical lamp", "https://intake.example.gov.cn", lamp(), 7},
      {"no position, no service",
       "https://intake.example.gov.cn",
       {"BIN-7", "某街3号", std::nullopt, std::nullopt, std::nullopt},
       5},
      {"long address (22 characters)",
       "https://12345.shenzhen.gov.cn",
       {"LAMP-NS-000123", "广东省深圳市南山区粤海街道科技园南区深南大道", 22.54, 114.06,
        "urban.lighting"},
       10},
      {"long asset id",
       "https://intake.example.gov.cn",
       {"SZ-NS-YUEHAI-STREETLIGHT-0001234", "科技南路18号", 22.54, 114.06, "urban.lighting"},
       8},
  };
  for (const auto& c : cases) {
    const auto token = signer.issue(c.asset, new_token_id());
    ASSERT_TRUE(token) << c.name;
    const auto code = encode_qr(c.base + "/q/" + *token);
    ASSERT_TRUE(code) << c.name;
    EXPECT_LE(code->version, c.max_version) << c.name << ": " << token->size() << " characters";
    EXPECT_LE(code->version, 10) << c.name;
    std::cout << "[ measured ] " << c.name << ": token " << token->size()
              << " characters, QR version " << code->version << "\n";
  }
}

TEST(qr_image, png_and_svg) {
  const auto code = encode_qr("https://intake.example.gov.cn/q/ABC");
  ASSERT_TRUE(code);
  EXPECT_EQ(code->width, 17 + 4 * code->version);
  auto png = to_png(*code, 4);
  ASSERT_TRUE(png);
  EXPECT_EQ(png->substr(0, 8), std::string("\x89PNG\r\n\x1a\n", 8));
  const auto svg = to_svg(*code, "LAMP<1> & 某路");
  EXPECT_NE(svg.find("<svg"), std::string::npos);
  EXPECT_NE(svg.find("LAMP&lt;1&gt; &amp; 某路"), std::string::npos);
  EXPECT_FALSE(encode_qr(std::string(8000, 'x'))) << "too long for any version";
}

}  // namespace
}  // namespace intake::channels::qrcode
