#include "common/pipeline/submitter_ref.hpp"

#include <openssl/hmac.h>
#include <sodium.h>

#include <fstream>
#include <sstream>
#include <stdexcept>

#include "common/core/durable_file.hpp"

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
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha256(), key_.data(), static_cast<int>(key_.size()),
       reinterpret_cast<const unsigned char*>(identity.data()), identity.size(), mac, &len);
  static const char hex[] = "0123456789abcdef";
  std::string out;
  // 128 bits are plenty to link people; a shorter ref keeps events small.
  for (unsigned int i = 0; i < 16 && i < len; ++i) {
    out += hex[mac[i] >> 4];
    out += hex[mac[i] & 15];
  }
  return out;
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
  static const char hex[] = "0123456789abcdef";
  std::string key;
  for (unsigned char b : raw) {
    key += hex[b >> 4];
    key += hex[b & 15];
  }
  if (auto r = core::write_file_durably(path, key + "\n", 0600); !r) {
    throw std::runtime_error(r.error().message);
  }
  return key;
}

}  // namespace intake::pipeline
