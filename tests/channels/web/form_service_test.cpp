#include "channels/web/form_service.hpp"

#include <gtest/gtest.h>

namespace intake::channels::web {
namespace {

struct origin_case {
  std::string name;
  std::vector<std::pair<std::string, std::string>> headers;
  std::vector<std::string> public_urls;
  bool cross_site;
};

TEST(is_cross_site, table) {
  const std::vector<origin_case> cases = {
      {"no origin (old browser, curl)", {}, {}, false},
      {"null origin", {{"Origin", "null"}}, {}, false},
      {"same host", {{"Origin", "http://127.0.0.1:8080"}}, {}, false},
      {"same host, fetch metadata",
       {{"Origin", "http://127.0.0.1:8080"}, {"Sec-Fetch-Site", "same-origin"}},
       {},
       false},
      {"another site", {{"Origin", "https://evil.example"}}, {}, true},
      {"same address, other port", {{"Origin", "http://127.0.0.1:9090"}}, {}, true},
      {"cross-site by fetch metadata", {{"Sec-Fetch-Site", "cross-site"}}, {}, true},
      {"behind a proxy that rewrote Host",
       {{"Origin", "https://intake.example.cn"}},
       {"https://intake.example.cn/"},
       false},
      {"public URL does not vouch for others",
       {{"Origin", "https://evil.example"}},
       {"https://intake.example.cn"},
       true},
  };
  for (const auto& c : cases) {
    http::request req{boost::beast::http::verb::post, "/form", 11};
    req.set(boost::beast::http::field::host, "127.0.0.1:8080");
    for (const auto& [k, v] : c.headers) req.set(k, v);
    EXPECT_EQ(is_cross_site(req, c.public_urls), c.cross_site) << c.name;
  }
}

}  // namespace
}  // namespace intake::channels::web
