#include "channels/wechat/message_xml.hpp"
#include "common/core/utf8.hpp"

#include <cctype>
#include <cstdint>

namespace intake::channels::wechat {

namespace {

tl::unexpected<core::error> malformed(const std::string& why) {
  return core::fail(core::errc::bad_request, "malformed message XML: " + why);
}

bool name_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.';
}

class reader {
 public:
  reader(std::string_view text, const xml_limits& limits) : s_(text), limits_(limits) {}

  core::result<xml_fields> document() {
    skip_space();
    if (starts("<?xml")) {
      const auto end = s_.find("?>", pos_);
      if (end == std::string_view::npos) return malformed("unterminated declaration");
      pos_ = end + 2;
      skip_space();
    }
    if (starts("<!")) return malformed("DTDs and comments are not accepted");
    auto root = open_tag();
    if (!root) return tl::unexpected(root.error());
    if (*root != "xml") return malformed("the root element must be <xml>");
    if (auto r = children("", 1); !r) return tl::unexpected(r.error());
    if (auto r = close_tag("xml"); !r) return tl::unexpected(r.error());
    skip_space();
    if (pos_ != s_.size()) return malformed("content after </xml>");
    return std::move(fields_);
  }

 private:
  bool starts(std::string_view p) const { return s_.substr(pos_, p.size()) == p; }
  void skip_space() {
    while (pos_ < s_.size() && std::isspace(static_cast<unsigned char>(s_[pos_]))) ++pos_;
  }

  core::result<std::string> open_tag() {
    if (!starts("<")) return malformed("expected an element");
    ++pos_;
    const auto begin = pos_;
    while (pos_ < s_.size() && name_char(s_[pos_])) ++pos_;
    if (pos_ == begin) return malformed("empty element name");
    std::string name(s_.substr(begin, pos_ - begin));
    skip_space();
    if (!starts(">")) return malformed("attributes are not accepted");
    ++pos_;
    return name;
  }

  core::result<void> close_tag(std::string_view name) {
    skip_space();
    const std::string expected = "</" + std::string(name) + ">";
    if (!starts(expected)) return malformed("expected " + expected);
    pos_ += expected.size();
    return {};
  }

  // Elements until the parent's closing tag.
  core::result<void> children(const std::string& prefix, int depth) {
    for (;;) {
      skip_space();
      if (starts("</")) return {};
      if (pos_ >= s_.size()) return malformed("unexpected end");
      if (starts("<!")) return malformed("comments and DTDs are not accepted");
      auto name = open_tag();
      if (!name) return tl::unexpected(name.error());
      const std::string full = prefix.empty() ? *name : prefix + "." + *name;
      // An element holds text or elements; which one shows after any leading space.
      const auto save = pos_;
      skip_space();
      if (starts("<") && !starts("<![CDATA[") && !starts("</")) {
        if (depth >= limits_.max_depth) return malformed("nested too deep");
        if (auto r = children(full, depth + 1); !r) return r;
      } else {
        pos_ = save;
        auto text = element_text();
        if (!text) return tl::unexpected(text.error());
        if (fields_.size() >= limits_.max_fields) return malformed("too many elements");
        fields_[full] = std::move(*text);
      }
      if (auto r = close_tag(*name); !r) return r;
    }
  }

  core::result<std::string> element_text() {
    std::string out;
    while (pos_ < s_.size() && !starts("</")) {
      if (starts("<![CDATA[")) {
        pos_ += 9;
        const auto end = s_.find("]]>", pos_);
        if (end == std::string_view::npos) return malformed("unterminated CDATA");
        out.append(s_.substr(pos_, end - pos_));
        pos_ = end + 3;
      } else if (s_[pos_] == '<') {
        return malformed("unexpected markup in text");
      } else if (s_[pos_] == '&') {
        if (auto r = entity(out); !r) return tl::unexpected(r.error());
      } else {
        out += s_[pos_++];
      }
    }
    return out;
  }

  core::result<void> entity(std::string& out) {
    const auto end = s_.find(';', pos_);
    if (end == std::string_view::npos || end - pos_ > 12) return malformed("bad entity");
    const auto name = s_.substr(pos_ + 1, end - pos_ - 1);
    pos_ = end + 1;
    if (name == "lt")
      out += '<';
    else if (name == "gt")
      out += '>';
    else if (name == "amp")
      out += '&';
    else if (name == "quot")
      out += '"';
    else if (name == "apos")
      out += '\'';
    else if (name.size() > 1 && name[0] == '#') {
      std::uint32_t cp = 0;
      const bool hex = name[1] == 'x' || name[1] == 'X';
      for (char c : name.substr(hex ? 2 : 1)) {
        int d = std::isdigit(static_cast<unsigned char>(c)) ? c - '0'
                : hex && std::isxdigit(static_cast<unsigned char>(c))
                    ? std::tolower(static_cast<unsigned char>(c)) - 'a' + 10
                    : -1;
        if (d < 0) return malformed("bad character reference");
        cp = cp * (hex ? 16 : 10) + static_cast<std::uint32_t>(d);
        if (cp > 0x10FFFF) return malformed("bad character reference");
      }
      if (cp == 0 || (cp >= 0xD800 && cp <= 0xDFFF)) return malformed("bad character reference");
      core::append_utf8(out, cp);
    } else {
      return malformed("unknown entity");
    }
    return {};
  }

  std::string_view s_;
  const xml_limits& limits_;
  std::size_t pos_ = 0;
  xml_fields fields_;
};

void append_cdata(std::string& out, std::string_view text) {
  out += "<![CDATA[";
  // "]]>" cannot appear inside one CDATA section: end it and start another between ]] and >.
  std::size_t from = 0;
  for (auto at = text.find("]]>"); at != std::string_view::npos; at = text.find("]]>", from)) {
    out.append(text.substr(from, at + 2 - from));
    out += "]]><![CDATA[";
    from = at + 2;
  }
  out.append(text.substr(from));
  out += "]]>";
}

}  // namespace

core::result<xml_fields> parse_message_xml(std::string_view xml, const xml_limits& limits) {
  if (xml.size() > limits.max_bytes) {
    return core::fail(core::errc::payload_too_large, "the message XML is too large");
  }
  return reader(xml, limits).document();
}

std::string write_message_xml(const std::vector<xml_field>& fields) {
  std::string out = "<xml>";
  for (const auto& f : fields) {
    out += "<" + f.name + ">";
    if (f.bare) {
      out += f.value;
    } else {
      append_cdata(out, f.value);
    }
    out += "</" + f.name + ">";
  }
  out += "</xml>";
  return out;
}

}  // namespace intake::channels::wechat
