#include "channels/web/html.hpp"

#include <gtest/gtest.h>

namespace intake::channels::web {
namespace {

TEST(escape_html, table) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"", ""},
      {"路灯坏了", "路灯坏了"},
      {"<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"},
      {"\" onfocus=\"x", "&quot; onfocus=&quot;x"},
      {"' autofocus '", "&#39; autofocus &#39;"},
      {"a & b", "a &amp; b"},
      {"&amp;", "&amp;amp;"},
      {"</textarea><b>", "&lt;/textarea&gt;&lt;b&gt;"},
  };
  for (const auto& [in, out] : cases) EXPECT_EQ(escape_html(in), out) << in;
}

}  // namespace
}  // namespace intake::channels::web
