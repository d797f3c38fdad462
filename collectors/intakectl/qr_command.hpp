#pragma once
// `intakectl qr issue|revoke`: printable scan-to-report codes for facilities, and their
// withdrawal.
#include <ostream>
#include <string>
#include <vector>

/// `args` starts with "qr". Exit status: 0 done, 1 failed, 2 usage or configuration error.
int run_qr_command(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);
