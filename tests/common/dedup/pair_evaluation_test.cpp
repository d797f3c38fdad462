#include "common/dedup/pair_evaluation.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace intake::dedup {
namespace {

const std::string corpus_dir = std::string(INTAKE_SHARED_DATA_DIR) + "/complaints";
const std::string silver_pairs = corpus_dir + "/tipdm2020c_neardup_pairs_silver.csv";

TEST(evaluate_pairs, meets_the_targets_on_the_silver_pairs) {
  // The corpus sits beside the project (../shared/data) on every machine that runs the tests.
  ASSERT_TRUE(std::filesystem::exists(silver_pairs)) << "no corpus at " << corpus_dir;
  evaluation_options o;
  o.pairs_path = silver_pairs;
  auto r = evaluate_pairs(o);
  ASSERT_TRUE(r) << r.error().message;
  std::ostringstream text;
  print_report(*r, text);
  SCOPED_TRACE(text.str());

  // The file codes map to the files the corpus ships; attachment 4 is not among them.
  EXPECT_EQ(r->files.at("A3"), "tipdm2020c_attach3_messages_votes.csv");
  EXPECT_EQ(r->files.at("A2s"), "tipdm2020c_attach2_SAMPLE_labelled.csv");
  EXPECT_EQ(r->missing_files, std::vector<std::string>{"A4"});
  EXPECT_EQ(r->messages, 4326u + 495u);
  EXPECT_EQ(r->bands.at("exact").pairs + r->bands.at("near").pairs, 364u);
  EXPECT_EQ(r->negatives.pairs, o.negatives);

  EXPECT_GE(r->precision, 0.95);
  EXPECT_GE(r->recall, 0.90);
  // What this detector reaches, so a regression shows even above the targets.
  EXPECT_GE(r->precision, 0.999);
  EXPECT_GE(r->recall, 0.99);
  EXPECT_EQ(r->negatives.flagged, 0u);
}

TEST(evaluate_pairs, reads_inline_pairs) {
  const auto path = ::testing::TempDir() + "/inline-pairs-" + std::to_string(::getpid()) + ".csv";
  {
    std::ofstream out(path);
    out << "text_a,text_b,band\n"
           "小区门口路灯坏了一个星期,小区门口路灯坏了一个星期了,near\n"
           "\"路灯坏了，\"\"很黑\"\"\",路灯坏了很黑,exact\n"
           "公交站牌被撞坏了,垃圾桶满了没人清理,negative\n";
  }
  evaluation_options o;
  o.pairs_path = path;
  o.negatives = 0;
  auto r = evaluate_pairs(o);
  std::filesystem::remove(path);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->tp, 2u);
  EXPECT_EQ(r->fn, 0u);
  EXPECT_EQ(r->fp, 0u);
  EXPECT_EQ(r->negatives.pairs, 1u);
  EXPECT_DOUBLE_EQ(r->precision, 1.0);
  EXPECT_DOUBLE_EQ(r->recall, 1.0);
}

TEST(evaluate_pairs, refuses_an_unknown_layout) {
  const auto path = ::testing::TempDir() + "/bad-pairs-" + std::to_string(::getpid()) + ".csv";
  std::ofstream(path) << "a,b\n1,2\n";
  evaluation_options o;
  o.pairs_path = path;
  EXPECT_FALSE(evaluate_pairs(o));
  std::filesystem::remove(path);
  o.pairs_path = path + ".missing";
  EXPECT_FALSE(evaluate_pairs(o));
}

TEST(read_csv_file, parses_rfc4180) {
  const auto path = ::testing::TempDir() + "/csv-" + std::to_string(::getpid()) + ".csv";
  std::ofstream(path, std::ios::binary) << "\xEF\xBB\xBF"
                                           "a,b,c\r\n1,\"x, \"\"y\"\"\nz\",\r\n\"\",2,3";
  const auto rows = read_csv_file(path);
  std::filesystem::remove(path);
  ASSERT_TRUE(rows);
  const std::vector<std::vector<std::string>> want = {
      {"a", "b", "c"}, {"1", "x, \"y\"\nz", ""}, {"", "2", "3"}};
  EXPECT_EQ(*rows, want);
}

}  // namespace
}  // namespace intake::dedup
