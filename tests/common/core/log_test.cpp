#include "common/core/log.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>

namespace intake::core::log {
namespace {

// Runs `body` with stderr sent to a temp file and returns what was written.
template <class F>
std::string captured_stderr(F body) {
  const std::string path = ::testing::TempDir() + "/log-test-" + std::to_string(::getpid());
  std::fflush(stderr);
  const int saved = ::dup(STDERR_FILENO);
  std::FILE* file = std::fopen(path.c_str(), "w");
  ::dup2(::fileno(file), STDERR_FILENO);
  body();
  ::dup2(saved, STDERR_FILENO);
  ::close(saved);
  std::fclose(file);
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  std::remove(path.c_str());
  return ss.str();
}

TEST(log, logfmt_quotes_values_that_need_it) {
  const auto out = captured_stderr([] {
    info("submission_accepted", {{"tracking", "DDZF-001S-0063-W"}, {"reason", "two words"}});
  });
  EXPECT_NE(out.find("level=info event=submission_accepted tracking=DDZF-001S-0063-W "
                     "reason=\"two words\"\n"),
            std::string::npos)
      << out;
}

TEST(log, json_lines_escape_values) {
  set_json(true);
  const auto out = captured_stderr([] { warn("odd", {{"text", "a\"b\nc"}}); });
  set_json(false);
  EXPECT_NE(out.find(R"("event":"odd","text":"a\"b\nc"})"), std::string::npos) << out;
}

TEST(log, batch_scope_writes_every_line_once_and_whole) {
  const auto out = captured_stderr([] {
    batch_scope outer;
    {
      batch_scope nested;  // does not flush the outer scope's lines early
      for (int i = 0; i < 200; ++i) info("line", {{"n", std::to_string(i)}});
    }
    info("last");
  });
  int lines = 0;
  std::istringstream in(out);
  for (std::string line; std::getline(in, line);) {
    EXPECT_EQ(line.rfind("ts=", 0), 0u) << "a line was split: " << line;
    ++lines;
  }
  EXPECT_EQ(lines, 201);
  EXPECT_NE(out.find("event=line n=199\n"), std::string::npos);
}

TEST(log, below_the_minimum_level_nothing_is_written) {
  set_min_level(level::warn);
  const auto out = captured_stderr([] { info("quiet"); });
  set_min_level(level::info);
  EXPECT_EQ(out, "");
}

}  // namespace
}  // namespace intake::core::log
