#include "channels/qrcode/revocation_list.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace intake::channels::qrcode {
namespace {

TEST(revocation_list, parse_skips_comments_and_blanks) {
  const auto ids =
      revocation_list::parse("# withdrawn codes\nABCDEFGH\n\n  IJKLMNOP  # broken\r\n");
  EXPECT_EQ(ids, (std::set<std::string, std::less<>>{"ABCDEFGH", "IJKLMNOP"}));
}

TEST(revocation_list, add_is_seen_without_a_restart) {
  const std::string dir = ::testing::TempDir() + "/revoked-" + std::to_string(::getpid());
  std::filesystem::create_directories(dir);
  const std::string path = dir + "/qr-revoked.txt";
  std::filesystem::remove(path);
  revocation_list list(path);
  EXPECT_FALSE(list.is_revoked("ABCDEFGH")) << "no file: nothing revoked";
  ASSERT_TRUE(revocation_list::add(path, "ABCDEFGH", "revoked today"));
  EXPECT_TRUE(list.is_revoked("ABCDEFGH"));
  EXPECT_FALSE(list.is_revoked("IJKLMNOP"));
  ASSERT_TRUE(revocation_list::add(path, "IJKLMNOP"));
  ASSERT_TRUE(revocation_list::add(path, "IJKLMNOP")) << "adding twice is fine";
  EXPECT_TRUE(list.is_revoked("IJKLMNOP"));
  std::ifstream in(path);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(text, "ABCDEFGH  # revoked today\nIJKLMNOP\n");
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace intake::channels::qrcode
