#pragma once
// `intakectl email quarantine [--config FILE] [--json]`: the mail the e-mail channel kept aside.
#include <ostream>
#include <string>
#include <vector>

/// `words` starts with "email". Lists data_dir/email/quarantine to `out`; returns 0, or 2 on a
/// usage error.
int run_email_command(const std::vector<std::string>& words, const std::string& data_dir, bool json,
                      std::ostream& out);
