#include "common/core/durable_file.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace intake::core {
namespace {

std::string read(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

TEST(durable_file, writes_replace_whole_files_and_leave_no_temp) {
  const std::string dir = ::testing::TempDir() + "/durable-" + std::to_string(::getpid());
  ASSERT_TRUE(make_directories(dir + "/a/b"));
  ASSERT_TRUE(make_directories(dir + "/a/b")) << "existing directories are fine";
  const std::string path = dir + "/a/b/key";
  struct writer {
    const char* name;
    result<void> (*write)(const std::string&, std::string_view, int);
  };
  for (const writer& w :
       {writer{"durable", &write_file_durably}, writer{"replace", &replace_file}}) {
    ASSERT_TRUE(w.write(path, "first\n", 0600)) << w.name;
    ASSERT_TRUE(w.write(path, "second\n", 0600)) << w.name;
    EXPECT_EQ(read(path), "second\n") << w.name;
    EXPECT_FALSE(std::filesystem::exists(path + ".tmp")) << w.name;
  }
  struct stat st {};
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  std::filesystem::remove_all(dir);
}

TEST(durable_file, a_missing_directory_is_storage_unavailable) {
  auto r = write_file_durably("/nonexistent-dir/intake/key", "x");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, errc::storage_unavailable);
}

}  // namespace
}  // namespace intake::core
