// The dedup evaluation as a program of its own, for machines without intakectl:
//   dedup_eval ../shared/data/complaints/tipdm2020c_neardup_pairs_silver.csv [options]
// takes the options of `intakectl dedup-eval` (collectors/intakectl/dedup_eval_command.hpp).
#include <iostream>
#include <string>
#include <vector>

#include "collectors/intakectl/dedup_eval_command.hpp"

int main(int argc, char** argv) {
  std::vector<std::string> args{"dedup-eval"};
  for (int i = 1; i < argc; ++i) args.emplace_back(argv[i]);
  return run_dedup_eval_command(args, std::cout);
}
