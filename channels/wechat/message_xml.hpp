#pragma once
// The small XML dialect of WeChat's pushes: <xml><Name><![CDATA[text]]></Name><N>1</N>...</xml>.
// Read by hand, strictly: no DTD, no external entities, bounded size, fields and depth.
#include <cstddef>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/core/result.hpp"

namespace intake::channels::wechat {

/// Element text by name; nested elements are named "Outer.Inner".
using xml_fields = std::map<std::string, std::string, std::less<>>;

struct xml_limits {
  std::size_t max_bytes = 64 * 1024;
  std::size_t max_fields = 64;
  int max_depth = 4;
};

/// Errors: bad_request for anything but a well-formed <xml> document within the limits.
core::result<xml_fields> parse_message_xml(std::string_view xml, const xml_limits& limits = {});

/// An <xml> document of the fields in order; text in CDATA, numbers (`bare`) as they are.
struct xml_field {
  std::string name;
  std::string value;
  bool bare = false;
};
std::string write_message_xml(const std::vector<xml_field>& fields);

}  // namespace intake::channels::wechat
