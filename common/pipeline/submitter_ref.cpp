#include "common/pipeline/submitter_ref.hpp"

#include <sodium.h>

#include <fstream>
#include <sstream>
#include <stdexcept>

#include "common/core/durable_file.hpp"
#include "common/core/hmac.hpp"

namespace intake::pipeline {

std::optional<std::string> submitter_ref::of(const model::submitter& person) const {
  std::string identity;
  if (person.phone) {
    identity = "phone:" + *person.phone;
  } else if (person.email) {
    identity = "email:" + *person.email;
  } else if (person.openid) {
    identity = "openid:" + *person.openid;
  } else {
    return std::nullopt;
  }
  // 128 bits are plenty to link people; a shorter ref keeps events small.
  return core::to_hex(core::hmac_sha256(key_, identity).substr(0, 16));
}

std::string load_or_create_key(const std::string& path) {
  {
    std::ifstream in(path, std::ios::binary);
    if (in) {
      std::stringstream ss;
      ss << in.rdbuf();
      std::string key = ss.str();
      while (!key.empty() && (key.back() == '\n' || key.back() == '\r')) key.pop_back();
      if (key.size() < 16) throw std::runtime_error(path + ": key is shorter than 16 bytes");
      return key;
    }
  }
  if (sodium_init() < 0) throw std::runtime_error("libsodium failed to initialise");
  unsigned char raw[32];
  randombytes_buf(raw, sizeof raw);
  const std::string key =
      core::to_hex(std::string_view(reinterpret_cast<const char*>(raw), sizeof raw));
  if (auto r = core::write_file_durably(path, key + "\n", 0600); !r) {
    throw std::runtime_error(r.error().message);
  }
  return key;
}

}  // namespace intake::pipeline
