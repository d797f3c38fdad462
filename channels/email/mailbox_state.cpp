#include "channels/email/mailbox_state.hpp"

#include <rapidjson/document.h>

#include <fstream>
#include <sstream>

#include "common/core/durable_file.hpp"

namespace intake::channels::email {

mailbox_state load_mailbox_state(const std::string& path) {
  std::ifstream in(path);
  if (!in) return {};
  std::stringstream text;
  text << in.rdbuf();
  rapidjson::Document doc;
  doc.Parse(text.str().c_str());
  mailbox_state s;
  if (doc.HasParseError() || !doc.IsObject()) return s;
  if (doc.HasMember("uidvalidity") && doc["uidvalidity"].IsUint64())
    s.uidvalidity = doc["uidvalidity"].GetUint64();
  if (doc.HasMember("last_uid") && doc["last_uid"].IsUint64())
    s.last_uid = doc["last_uid"].GetUint64();
  return s;
}

core::result<void> save_mailbox_state(const std::string& path, const mailbox_state& state) {
  const std::string text = "{\"uidvalidity\":" + std::to_string(state.uidvalidity) +
                           ",\"last_uid\":" + std::to_string(state.last_uid) + "}\n";
  return core::write_file_durably(path, text, 0640);
}

}  // namespace intake::channels::email
