#include "channels/email/quarantine.hpp"

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "common/core/durable_file.hpp"

namespace intake::channels::email {

namespace {

std::string entry_json(const quarantine_entry& e) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
  w.StartObject();
  w.Key("name");
  w.String(e.name.c_str());
  w.Key("reason");
  w.String(e.reason.c_str());
  w.Key("detail");
  w.String(e.detail.c_str());
  w.Key("uidvalidity");
  w.Uint64(e.uidvalidity);
  w.Key("uid");
  w.Uint64(e.uid);
  w.Key("size");
  w.Uint64(e.size);
  w.Key("quarantined_at");
  w.String(e.quarantined_at.c_str());
  w.Key("has_copy");
  w.Bool(e.has_copy);
  w.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize());
}

std::string str(const rapidjson::Document& d, const char* key) {
  return d.HasMember(key) && d[key].IsString() ? d[key].GetString() : "";
}
std::uint64_t num(const rapidjson::Document& d, const char* key) {
  return d.HasMember(key) && d[key].IsUint64() ? d[key].GetUint64() : 0;
}

}  // namespace

std::string quarantine_dir(const std::string& data_dir) {
  return data_dir + "/email/quarantine";
}

core::result<quarantine_entry> quarantine_message(const std::string& dir, std::uint64_t uidvalidity,
                                                  std::uint64_t uid, std::string_view raw,
                                                  std::uint64_t size, std::string reason,
                                                  std::string detail, core::sys_time now) {
  if (auto r = core::make_directories(dir); !r) return tl::unexpected(r.error());
  quarantine_entry e;
  e.name = std::to_string(uidvalidity) + "-" + std::to_string(uid);
  e.reason = std::move(reason);
  e.detail = std::move(detail);
  e.uidvalidity = uidvalidity;
  e.uid = uid;
  e.size = size;
  e.quarantined_at = core::format_rfc3339(now);
  e.has_copy = !raw.empty();
  if (e.has_copy) {
    if (auto r = core::write_file_durably(dir + "/" + e.name + ".eml", raw, 0640); !r)
      return tl::unexpected(r.error());
  }
  if (auto r = core::write_file_durably(dir + "/" + e.name + ".json", entry_json(e) + "\n", 0640);
      !r)
    return tl::unexpected(r.error());
  return e;
}

std::vector<quarantine_entry> list_quarantine(const std::string& dir) {
  std::vector<quarantine_entry> out;
  std::error_code ec;
  for (const auto& file : std::filesystem::directory_iterator(dir, ec)) {
    if (file.path().extension() != ".json") continue;
    std::ifstream in(file.path());
    std::stringstream text;
    text << in.rdbuf();
    rapidjson::Document d;
    d.Parse(text.str().c_str());
    if (d.HasParseError() || !d.IsObject()) continue;
    quarantine_entry e;
    e.name = str(d, "name");
    e.reason = str(d, "reason");
    e.detail = str(d, "detail");
    e.uidvalidity = num(d, "uidvalidity");
    e.uid = num(d, "uid");
    e.size = num(d, "size");
    e.quarantined_at = str(d, "quarantined_at");
    e.has_copy = d.HasMember("has_copy") && d["has_copy"].IsBool() && d["has_copy"].GetBool();
    out.push_back(std::move(e));
  }
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
    return std::tie(a.quarantined_at, a.name) < std::tie(b.quarantined_at, b.name);
  });
  return out;
}

std::string format_quarantine(const std::vector<quarantine_entry>& entries, bool json) {
  std::ostringstream out;
  if (json) {
    for (const auto& e : entries) out << entry_json(e) << "\n";
    return out.str();
  }
  out << "QUARANTINED_AT            NAME                  SIZE      REASON        DETAIL\n";
  for (const auto& e : entries) {
    char line[160];
    std::snprintf(line, sizeof line, "%-25s %-21s %-9llu %-13s ", e.quarantined_at.c_str(),
                  e.name.c_str(), static_cast<unsigned long long>(e.size), e.reason.c_str());
    out << line << e.detail << (e.has_copy ? "" : " (no copy)") << "\n";
  }
  if (entries.empty()) out << "(no quarantined mail)\n";
  return out.str();
}

}  // namespace intake::channels::email
