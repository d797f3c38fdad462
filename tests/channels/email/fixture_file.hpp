#pragma once
// Reads a MIME fixture from tests/data/email/.
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>

namespace intake::channels::email::testing {

inline std::string read_fixture(const std::string& name) {
  const std::string path = std::string(INTAKE_SOURCE_DIR) + "/tests/data/email/" + name;
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("missing fixture " + path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace intake::channels::email::testing
