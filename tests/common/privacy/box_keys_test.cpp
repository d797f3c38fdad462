#include "common/privacy/box_keys.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <fstream>

namespace intake::privacy {
namespace {

std::string hex_of(const unsigned char* data, std::size_t size) {
  std::string out(size * 2 + 1, '\0');
  sodium_bin2hex(out.data(), out.size(), data, size);
  out.pop_back();
  return out;
}

class box_keys_test : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = ::testing::TempDir() + "/box-keys-" + std::to_string(::getpid()) + "-" +
           ::testing::UnitTest::GetInstance()->current_test_info()->name();
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::string dir_;
};

TEST_F(box_keys_test, a_generated_pair_is_consistent_and_reads_back_from_its_files) {
  auto keys = generate_key_pair();
  ASSERT_TRUE(keys) << keys.error().message;
  EXPECT_EQ(public_key_of(keys->sec).bytes, keys->pub.bytes);

  const std::string prefix = dir_ + "/centre";
  ASSERT_TRUE(write_key_pair(prefix, *keys));
  struct stat st {};
  ASSERT_EQ(::stat((prefix + ".key").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);

  auto pub = read_public_key_file(prefix + ".pub");
  auto sec = read_secret_key_file(prefix + ".key");
  ASSERT_TRUE(pub) << pub.error().message;
  ASSERT_TRUE(sec) << sec.error().message;
  EXPECT_EQ(pub->bytes, keys->pub.bytes);
  EXPECT_EQ(std::memcmp(sec->data(), keys->sec.data(), secret_key::size()), 0);
  // One line of base64: 44 characters and a newline.
  EXPECT_EQ(std::filesystem::file_size(prefix + ".pub"), 45u);
}

TEST_F(box_keys_test, existing_key_files_are_not_replaced_without_overwrite) {
  auto first = generate_key_pair();
  auto second = generate_key_pair();
  ASSERT_TRUE(first && second);
  const std::string prefix = dir_ + "/centre";
  ASSERT_TRUE(write_key_pair(prefix, *first));
  auto refused = write_key_pair(prefix, *second);
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().message.find("exists"), std::string::npos);
  EXPECT_EQ(read_public_key_file(prefix + ".pub")->bytes, first->pub.bytes);

  ASSERT_TRUE(write_key_pair(prefix, *second, true));
  EXPECT_EQ(read_public_key_file(prefix + ".pub")->bytes, second->pub.bytes);
}

TEST(parse_public_key, reads_base64_with_or_without_padding_and_hex) {
  auto keys = generate_key_pair();
  ASSERT_TRUE(keys);
  const std::string b64 = to_base64(keys->pub.bytes.data(), keys->pub.bytes.size());
  ASSERT_EQ(b64.size(), 44u);
  const std::string hex = hex_of(keys->pub.bytes.data(), keys->pub.bytes.size());
  for (const std::string& text :
       {b64, b64 + "\n", "  " + b64 + "\r\n", b64.substr(0, 43), hex, hex + "\n"}) {
    auto key = parse_public_key(text);
    ASSERT_TRUE(key) << text;
    EXPECT_EQ(key->bytes, keys->pub.bytes) << text;
  }
}

TEST(parse_public_key, refuses_what_is_not_a_32_byte_key_without_quoting_it) {
  const std::string secretish = "c2VjcmV0LXZhbHVlLXRoYXQtbXVzdC1ub3QtYmUtZWNob2Vk";
  for (const std::string& text : {
           std::string(),
           std::string("   \n"),
           std::string(43, '!'),
           std::string(64, 'g'),                               // not hex
           std::string(63, 'a'),                               // neither length
           std::string("AAAA") + std::string(40, 'A') + "==",  // 46 characters
           secretish,
           std::string(44, 'A') + " trailing",
       }) {
    auto key = parse_public_key(text);
    ASSERT_FALSE(key) << text;
    EXPECT_EQ(key.error().code, core::errc::invalid_field);
    if (!text.empty()) {
      EXPECT_EQ(key.error().message.find(text), std::string::npos) << key.error().message;
    }
  }
}

TEST_F(box_keys_test, a_missing_or_oversized_key_file_is_an_error_naming_the_file) {
  auto missing = read_secret_key_file(dir_ + "/absent.key");
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().message.find("absent.key"), std::string::npos);

  const std::string big = dir_ + "/big.pub";
  std::ofstream(big) << std::string(5000, 'A');
  auto too_big = read_public_key_file(big);
  ASSERT_FALSE(too_big);
  EXPECT_NE(too_big.error().message.find("big.pub"), std::string::npos);
}

}  // namespace
}  // namespace intake::privacy
