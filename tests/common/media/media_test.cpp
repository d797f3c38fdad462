#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "common/core/hmac.hpp"
#include "common/media/media_store.hpp"
#include "common/media/media_type.hpp"
#include "common/media/media_url.hpp"

namespace intake::media {
namespace {

using namespace std::string_literals;

TEST(media_type, is_read_from_the_content_not_the_name) {
  struct row {
    std::string bytes;
    std::optional<std::string_view> type;
  };
  const row rows[] = {
      {"\xFF\xD8\xFF\xE0\x00\x10JFIF"s, "image/jpeg"},
      {"\x89PNG\r\n\x1A\n\x00\x00"s, "image/png"},
      {"\x00\x00\x00\x18"
       "ftypheic\x00\x00\x00\x00"s,
       "image/heic"},
      {"\x00\x00\x00\x18"
       "ftypmif1\x00\x00\x00\x00"s,
       "image/heic"},
      {"\x00\x00\x00\x18"
       "ftypisom\x00\x00\x00\x00"s,
       std::nullopt},  // an MP4 video
      {"RIFF\x10\x00\x00\x00WEBPVP8 "s, "image/webp"},
      {"GIF89a\x01\x00"s, "image/gif"},
      {"%PDF-1.7\n"s, "application/pdf"},
      {"<script>alert(1)</script>"s, std::nullopt},
      {"\xFF\xD8"s, std::nullopt},  // cut short
      {""s, std::nullopt},
  };
  for (const auto& r : rows) {
    EXPECT_EQ(sniff_media_type(r.bytes), r.type) << r.bytes;
  }
}

class media_store_test : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = ::testing::TempDir() + "/media-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name();
    std::filesystem::remove_all(root_);
  }
  void TearDown() override { std::filesystem::remove_all(root_); }
  std::string root_;
};

const std::string jpeg = "\xFF\xD8\xFF\xE0\x00\x10JFIF photo bytes"s;

TEST_F(media_store_test, stores_by_content_hash_once) {
  media_store store(root_);
  auto first = store.put(jpeg, "lamp.jpg");
  ASSERT_TRUE(first) << first.error().message;
  EXPECT_EQ(first->sha256, core::to_hex(core::sha256(jpeg)));
  EXPECT_EQ(first->media_type, "image/jpeg");
  EXPECT_EQ(first->size, jpeg.size());
  EXPECT_EQ(first->name, "lamp.jpg");

  auto path = store.path_of(first->sha256);
  ASSERT_TRUE(path);
  EXPECT_EQ(*path, root_ + "/" + first->sha256.substr(0, 2) + "/" + first->sha256);
  std::ifstream in(*path, std::ios::binary);
  std::stringstream content;
  content << in.rdbuf();
  EXPECT_EQ(content.str(), jpeg);

  auto again = store.put(jpeg, "other-name.jpg");
  ASSERT_TRUE(again);
  EXPECT_EQ(again->sha256, first->sha256);
  std::size_t files = 0;
  for (const auto& e : std::filesystem::recursive_directory_iterator(root_)) {
    if (e.is_regular_file()) ++files;
  }
  EXPECT_EQ(files, 1u) << "the same photo is kept once";
}

TEST_F(media_store_test, refuses_oversize_and_wrong_types_with_clear_errors) {
  store_limits limits;
  limits.max_bytes = 64;
  limits.types = {"image/jpeg", "image/png"};
  media_store store(root_, limits);
  auto big = store.put("\xFF\xD8\xFF"s + std::string(100, 'x'));
  ASSERT_FALSE(big);
  EXPECT_EQ(big.error().code, core::errc::payload_too_large);
  auto pdf = store.put("%PDF-1.4\n");
  ASSERT_FALSE(pdf);
  EXPECT_EQ(pdf.error().code, core::errc::unsupported_media_type);
  auto exe = store.put("MZ\x90\x00"s);
  ASSERT_FALSE(exe);
  EXPECT_EQ(exe.error().code, core::errc::unsupported_media_type);
}

TEST_F(media_store_test, path_of_takes_only_a_hash) {
  media_store store(root_);
  const std::string_view malformed[] = {
      "../../etc/passwd", "", "ABCDEF", "0123456789abcdef0123456789abcdef",
      "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdeg"};
  for (std::string_view bad : malformed) {
    auto p = store.path_of(bad);
    ASSERT_FALSE(p) << bad;
    EXPECT_EQ(p.error().code, core::errc::not_found);
  }
  auto absent = store.path_of(std::string(64, 'a'));
  ASSERT_FALSE(absent);
  EXPECT_EQ(absent.error().code, core::errc::not_found);
}

TEST_F(media_store_test, purges_what_was_stored_before_the_cutoff) {
  media_store store(root_);
  auto old_photo = store.put(jpeg);
  auto new_photo = store.put("\x89PNG\r\n\x1A\n new"s);
  ASSERT_TRUE(old_photo && new_photo);
  const auto now = core::system_now();
  // The first was stored 40 days ago.
  const auto old_path = *store.path_of(old_photo->sha256);
  const auto forty_days = std::chrono::hours(24 * 40);
  std::filesystem::last_write_time(old_path,
                                   std::filesystem::file_time_type::clock::now() - forty_days);
  std::ofstream(root_ + "/README") << "not an attachment: never touched";

  auto purged = store.purge_stored_before(now - std::chrono::hours(24 * 30));
  ASSERT_TRUE(purged) << purged.error().message;
  EXPECT_EQ(*purged, 1u);
  EXPECT_FALSE(store.path_of(old_photo->sha256));
  EXPECT_TRUE(store.path_of(new_photo->sha256));
  EXPECT_TRUE(std::filesystem::exists(root_ + "/README"));

  auto again = store.purge_stored_before(now - std::chrono::hours(24 * 30));
  ASSERT_TRUE(again);
  EXPECT_EQ(*again, 0u);
}

TEST(media_url, signed_links_verify_until_they_expire) {
  const auto now = core::from_unix_ms(1'700'000'000'000);
  media_url_signer signer("0123456789abcdef0123456789abcdef", "https://intake.example.cn/",
                          std::chrono::hours(1));
  const std::string hash(64, 'c');
  const std::string url = signer.url_for(hash, now);
  ASSERT_EQ(url.rfind("https://intake.example.cn/media/" + hash + "?exp=1700003600&sig=", 0), 0u)
      << url;
  const std::string sig = url.substr(url.find("sig=") + 4);

  EXPECT_TRUE(signer.verify(hash, "1700003600", sig, now));
  EXPECT_TRUE(signer.verify(hash, "1700003600", sig, now + std::chrono::minutes(59)));

  struct row {
    const char* what;
    std::string hash, exp, sig;
    core::sys_time at;
    core::errc code;
  };
  std::string flipped = sig;
  flipped[0] = flipped[0] == '0' ? '1' : '0';
  const row rows[] = {
      {"expired", hash, "1700003600", sig, now + std::chrono::hours(2), core::errc::not_found},
      {"expiry moved", hash, "1800000000", sig, now, core::errc::forbidden},
      {"another file", std::string(64, 'd'), "1700003600", sig, now, core::errc::forbidden},
      {"forged signature", hash, "1700003600", flipped, now, core::errc::forbidden},
      {"no signature", hash, "1700003600", "", now, core::errc::forbidden},
      {"expiry not a number", hash, "17e8", sig, now, core::errc::forbidden},
  };
  for (const auto& r : rows) {
    auto v = signer.verify(r.hash, r.exp, r.sig, r.at);
    ASSERT_FALSE(v) << r.what;
    EXPECT_EQ(v.error().code, r.code) << r.what;
  }

  media_url_signer other_key("another key of sixteen+ bytes", "https://x", std::chrono::hours(1));
  EXPECT_FALSE(other_key.verify(hash, "1700003600", sig, now));
}

}  // namespace
}  // namespace intake::media
