#include "collectors/intakectl/dedup_eval_command.hpp"

#include <charconv>
#include <iostream>
#include <optional>

#include "common/dedup/pair_evaluation.hpp"

namespace {

void usage(std::ostream& out) {
  out << "usage: intakectl dedup-eval PAIRS.csv [--messages DIR] [--threshold X]\n"
         "                            [--negatives N] [--seed S] [--check]\n"
         "  runs the near-duplicate detector on labelled pairs and prints precision, recall\n"
         "  and F1 for the exact and near bands, and the partial band apart;\n"
         "  PAIRS.csv has columns file_a,id_a,file_b,id_b,band (texts read from the message\n"
         "  files in DIR, default the folder of PAIRS.csv) or text_a,text_b,band;\n"
         "  --threshold  similarity that makes a duplicate (default 0.8, as dedup.similarity)\n"
         "  --negatives  random unlabelled pairs sampled for false positives (default 20000)\n"
         "  --seed       seed of that sample (default 20250101)\n"
         "  --check      exit 1 unless precision >= 0.95 and recall >= 0.90\n";
}

template <class T>
std::optional<T> number(const std::string& text) {
  T value{};
  const auto* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (ec != std::errc() || ptr != end) return std::nullopt;
  return value;
}

}  // namespace

int run_dedup_eval_command(const std::vector<std::string>& args, std::ostream& out) {
  intake::dedup::evaluation_options options;
  bool check = false;
  for (std::size_t i = 1; i < args.size(); ++i) {
    const std::string& a = args[i];
    const bool has_value = i + 1 < args.size();
    if (a == "--help" || a == "-h") {
      usage(out);
      return 0;
    } else if (a == "--check") {
      check = true;
    } else if (a == "--messages" && has_value) {
      options.messages_dir = args[++i];
    } else if (a == "--threshold" && has_value) {
      const auto v = number<double>(args[++i]);
      if (!v || *v <= 0.0 || *v > 1.0) {
        std::cerr << "intakectl dedup-eval: --threshold must be above 0 and at most 1\n";
        return 2;
      }
      options.threshold = *v;
    } else if (a == "--negatives" && has_value) {
      const auto v = number<std::size_t>(args[++i]);
      if (!v) {
        std::cerr << "intakectl dedup-eval: --negatives must be a count\n";
        return 2;
      }
      options.negatives = *v;
    } else if (a == "--seed" && has_value) {
      const auto v = number<std::uint64_t>(args[++i]);
      if (!v) {
        std::cerr << "intakectl dedup-eval: --seed must be a number\n";
        return 2;
      }
      options.seed = *v;
    } else if (!a.empty() && a[0] != '-' && options.pairs_path.empty()) {
      options.pairs_path = a;
    } else {
      usage(std::cerr);
      return 2;
    }
  }
  if (options.pairs_path.empty()) {
    usage(std::cerr);
    return 2;
  }
  const auto report = intake::dedup::evaluate_pairs(options);
  if (!report) {
    std::cerr << "intakectl dedup-eval: " << report.error().message << "\n";
    return 2;
  }
  intake::dedup::print_report(*report, out);
  if (check && (report->precision < 0.95 || report->recall < 0.90)) {
    out << "targets missed: precision >= 0.95 and recall >= 0.90 wanted\n";
    return 1;
  }
  return 0;
}
