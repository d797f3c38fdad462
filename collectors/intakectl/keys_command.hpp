#pragma once
// `intakectl keys generate --out PREFIX [--force]`: makes the centre's X25519 key pair that
// collectors seal personal data to (privacy.recipient_public_key = PREFIX.pub).
#include <ostream>
#include <string>
#include <vector>

/// Runs the command. `args` is the command line after the program name, starting with "keys".
/// Writes PREFIX.key (mode 0600) and PREFIX.pub, base64, one line each; refuses to replace
/// either unless --force. Returns 0 on success, 1 when the files cannot be written, 2 on a usage
/// error.
int run_keys_command(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);
