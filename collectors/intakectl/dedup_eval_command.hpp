#pragma once
// `intakectl dedup-eval PAIRS.csv [options]`: precision, recall and F1 of the near-duplicate
// detector on labelled pairs (docs/DEDUP.md).
#include <ostream>
#include <string>
#include <vector>

/// Runs the command. `args` is the command line after the program name, starting with
/// "dedup-eval". Prints the report to `out` and problems to std::cerr. Returns 0 when the
/// evaluation ran (with --check: and met precision ≥ 0.95, recall ≥ 0.90 on exact+near), 1 when
/// it ran and missed a target under --check, 2 on a usage error or an unreadable file.
int run_dedup_eval_command(const std::vector<std::string>& args, std::ostream& out);
