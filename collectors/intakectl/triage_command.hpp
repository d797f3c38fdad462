#pragma once
// `intakectl triage [--rules FILE] TEXT...`: shows how the triage rules decide on a text.
#include <ostream>
#include <string>
#include <vector>

/// Runs the command. `words` is the command line after the program name, starting with
/// "triage"; the text is every other word joined by spaces. Prints the decision to `out` and
/// problems to std::cerr. Returns 0 when decided, 2 on a usage error, invalid text or a rules
/// file that does not load.
int run_triage_command(const std::vector<std::string>& words, std::ostream& out);
