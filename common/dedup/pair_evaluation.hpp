#pragma once
// Measures the near-duplicate detector on labelled pairs (`intakectl dedup-eval`, and the corpus
// test). The detector runs as in the collector — the same folding, MinHash band keys, exact
// check and threshold — with every text in one scope, so what is measured is the text matcher:
// would these two texts be called near-duplicates if one person (or one place) sent both?
//
// Two CSV layouts are read:
//  - silver pairs, as in ../shared/data/complaints: columns file_a, id_a, file_b, id_b, band
//    (user_a, user_b, user_relation optional). Texts are the 留言详情 column of the message
//    files in the same folder: a file code "A<n>" is the file whose name holds "attach<n>",
//    "A<n>s" the one that also holds "SAMPLE". A code with no such file (the corpus ships no
//    attachment 4) leaves its pairs out, counted as skipped.
//  - inline pairs: columns text_a, text_b, band.
// Bands "exact" and "near" are the positives the targets are set on; "partial" is reported on
// its own; "negative" (inline layout) counts with the sampled negatives.
#include <cstddef>
#include <cstdint>
#include <map>
#include <ostream>
#include <string>
#include <vector>

#include <optional>
#include "common/core/result.hpp"

namespace intake::dedup {

struct evaluation_options {
  std::string pairs_path;
  /// Where the message files are; empty: the folder of pairs_path.
  std::string messages_dir;
  double threshold = 0.8;
  /// Random pairs of different messages (not labelled as pairs) to measure false positives.
  std::size_t negatives = 20000;
  std::uint64_t seed = 20250101;
};

/// Counts for one band (or one group of pairs).
struct pair_counts {
  std::size_t pairs = 0;       // pairs whose two texts were found
  std::size_t skipped = 0;     // pairs with a text missing
  std::size_t candidates = 0;  // pairs sharing a band key (the LSH found them)
  std::size_t flagged = 0;     // candidates whose exact check passed: called duplicates
  double recall() const { return pairs ? static_cast<double>(flagged) / pairs : 0.0; }
};

struct evaluation_report {
  double threshold = 0.0;
  std::size_t messages = 0;                      // texts loaded
  std::map<std::string, std::string> files;      // file code → file read
  std::vector<std::string> missing_files;        // codes with no file
  std::map<std::string, pair_counts> bands;      // by band
  std::map<std::string, pair_counts> relations;  // exact+near, by user_relation
  pair_counts negatives;                         // random non-pairs (+ labelled negatives)
  /// Pairs of messages by one user that are not in the pairs file: the look-alikes one person
  /// sends, the case the same-submitter rule faces. Flagged ones are either misses of the
  /// labels or false positives; the review in docs/DEDUP.md says which.
  pair_counts same_user_unlabelled;
  /// Every pair the detector flags across the whole corpus, and how many the file lacks.
  std::size_t sweep_flagged = 0;
  std::size_t sweep_unlabelled = 0;
  std::vector<std::string> sweep_unlabelled_examples;  // "A3:123 A3:456 score"
  std::size_t tp = 0, fn = 0, fp = 0;                  // exact+near against negatives
  double precision = 0.0, recall = 0.0, f1 = 0.0;
  double seconds = 0.0;
};

/// Runs the evaluation. Errors: the pairs file cannot be read or has no known layout.
core::result<evaluation_report> evaluate_pairs(const evaluation_options& options);

/// Prints the report for people.
void print_report(const evaluation_report& report, std::ostream& out);

/// Reads an RFC 4180 CSV file (quoted fields may hold commas, quotes and newlines; a UTF-8 BOM
/// is dropped). nullopt when the file cannot be read.
std::optional<std::vector<std::vector<std::string>>> read_csv_file(const std::string& path);

}  // namespace intake::dedup
