#include "collectors/intakectl/email_command.hpp"

#include <iostream>

#include "channels/email/quarantine.hpp"

int run_email_command(const std::vector<std::string>& words, const std::string& data_dir, bool json,
                      std::ostream& out) {
  if (words.size() != 2 || words[1] != "quarantine") {
    std::cerr << "usage: intakectl email quarantine [--config FILE] [--json]\n";
    return 2;
  }
  namespace email = intake::channels::email;
  const auto dir = email::quarantine_dir(data_dir);
  out << email::format_quarantine(email::list_quarantine(dir), json);
  if (!json) out << "copies in " << dir << "\n";
  return 0;
}
