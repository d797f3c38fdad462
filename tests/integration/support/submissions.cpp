#include "tests/integration/support/submissions.hpp"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "tests/integration/support/json_fields.hpp"

namespace intake::testing {

std::string submission_json(const submission& s) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
  auto field = [&w](const char* key, const std::optional<std::string>& value) {
    if (!value) return;
    w.Key(key);
    w.String(value->data(), static_cast<rapidjson::SizeType>(value->size()));
  };
  w.StartObject();
  field("description", s.description);
  field("title", s.title);
  if (s.name || s.phone || s.email) {
    w.Key("submitter");
    w.StartObject();
    field("name", s.name);
    field("phone", s.phone);
    field("email", s.email);
    w.EndObject();
  }
  w.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize());
}

std::string bulk_description(const std::string& tag, std::size_t index) {
  return "批量测试 " + tag + " 第" + std::to_string(index) + "件：幸福路" +
         std::to_string(index % 97) + "号附近井盖缺失，编号" + std::to_string(index * 7919);
}

submission_answer read_answer(http_response response) {
  submission_answer a;
  a.tracking_number = json_string(response.body, "/tracking_number");
  a.status = json_string(response.body, "/status");
  a.error = json_string(response.body, "/error");
  a.response = std::move(response);
  return a;
}

}  // namespace intake::testing
