#include "collectors/intakectl/keys_command.hpp"

#include <optional>

#include "common/privacy/box_keys.hpp"

namespace {

void usage(std::ostream& out) {
  out << "usage: intakectl keys generate --out PREFIX [--force]\n"
         "  makes an X25519 key pair for sealing personal data: PREFIX.pub goes to every\n"
         "  collector (privacy.recipient_public_key), PREFIX.key (mode 0600) stays at the centre\n"
         "  and opens sealed events (intakectl open --secret-key PREFIX.key); --force replaces\n"
         "  existing files, which makes events sealed to the old key unreadable\n";
}

}  // namespace

int run_keys_command(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  if (args.size() < 2 || args[1] != "generate") {
    usage(err);
    return 2;
  }
  std::optional<std::string> prefix;
  bool force = false;
  for (std::size_t i = 2; i < args.size(); ++i) {
    if (args[i] == "--out" && i + 1 < args.size()) {
      prefix = args[++i];
    } else if (args[i] == "--force") {
      force = true;
    } else {
      usage(err);
      return 2;
    }
  }
  if (!prefix || prefix->empty()) {
    usage(err);
    return 2;
  }
  auto keys = intake::privacy::generate_key_pair();
  if (!keys) {
    err << "intakectl: " << keys.error().message << "\n";
    return 1;
  }
  if (auto written = intake::privacy::write_key_pair(*prefix, *keys, force); !written) {
    err << "intakectl: " << written.error().message << "\n";
    return 1;
  }
  out << "wrote " << *prefix << ".pub (public: privacy.recipient_public_key on every collector)\n"
      << "wrote " << *prefix << ".key (secret, mode 0600: keep it at the centre only)\n";
  return 0;
}
