#include "channels/web/form_page.hpp"

#include <gtest/gtest.h>

#include <regex>
#include <set>

namespace intake::channels::web {
namespace {

const std::vector<category> categories = {{"urban.lighting", "路灯照明", "Street lighting"},
                                          {"x\"><b>", "<i>坏</i>", "<i>bad</i>"}};

form_view sample_view(language lang) {
  form_view v;
  v.lang = lang;
  v.action = "/form";
  v.token = "123.abc.def";
  v.categories = &categories;
  v.photo_max_bytes = 4 * 1024 * 1024;
  return v;
}

// The ids of every form control a citizen sees (hidden inputs excluded).
std::set<std::string> control_ids(const std::string& html) {
  std::set<std::string> ids;
  const std::regex control(R"(<(input|select|textarea)\b([^>]*)>)");
  const std::regex id(R"(\bid="([^"]+)\")");
  for (auto it = std::sregex_iterator(html.begin(), html.end(), control);
       it != std::sregex_iterator(); ++it) {
    const std::string attrs = (*it)[2];
    if (attrs.find("type=\"hidden\"") != std::string::npos) continue;
    std::smatch m;
    EXPECT_TRUE(std::regex_search(attrs, m, id)) << "a control without an id: " << (*it)[0];
    if (!m.empty()) ids.insert(m[1]);
  }
  return ids;
}

TEST(render_form, every_control_has_a_label_and_the_page_has_landmarks) {
  for (const auto lang : {language::zh, language::en}) {
    const auto html = render_form(sample_view(lang));
    const auto ids = control_ids(html);
    for (const char* expected : {"description", "title", "category", "address", "name", "phone",
                                 "email", "photo", "website"}) {
      EXPECT_TRUE(ids.count(expected)) << expected;
    }
    for (const auto& id : ids) {
      EXPECT_NE(html.find("<label for=\"" + id + "\">"), std::string::npos)
          << "no label for " << id;
    }
    EXPECT_NE(html.find(lang == language::en ? "<html lang=\"en\">" : "<html lang=\"zh-CN\">"),
              std::string::npos);
    for (const char* landmark :
         {"<header>", "<main id=\"main\">", "<footer>", "<nav aria-label="}) {
      EXPECT_NE(html.find(landmark), std::string::npos) << landmark;
    }
    EXPECT_EQ(html.find("<script"), std::string::npos) << "the page needs no JavaScript";
    EXPECT_NE(html.find("enctype=\"multipart/form-data\""), std::string::npos);
    EXPECT_NE(html.find("name=\"token\" value=\"123.abc.def\""), std::string::npos);
    EXPECT_NE(html.find("id=\"consent\""), std::string::npos);
    // The language switch leads to the other language.
    EXPECT_NE(html.find(lang == language::en ? "href=\"/form\"" : "href=\"/form?lang=en\""),
              std::string::npos);
  }
}

TEST(render_form, input_is_kept_escaped_and_errors_sit_beside_their_fields) {
  auto v = sample_view(language::zh);
  v.values = {{"description", "</textarea><script>alert(1)</script>"},
              {"name", "\" autofocus onfocus=\"alert(1)"},
              {"phone", "12"},
              {"category", "urban.lighting"}};
  v.errors = {{"phone", field_problem::invalid_phone}};
  const auto html = render_form(v);
  EXPECT_EQ(html.find("<script>"), std::string::npos);
  EXPECT_EQ(html.find("<b>"), std::string::npos) << "category codes and names are escaped too";
  EXPECT_EQ(html.find("<i>"), std::string::npos);
  EXPECT_NE(html.find("&lt;/textarea&gt;&lt;script&gt;alert(1)&lt;/script&gt;</textarea>"),
            std::string::npos);
  EXPECT_NE(html.find("value=\"&quot; autofocus onfocus=&quot;alert(1)\""), std::string::npos);
  EXPECT_NE(html.find("<option value=\"urban.lighting\" selected>"), std::string::npos);
  const auto error = html.find("id=\"phone-error\"");
  const auto control = html.find("<input type=\"tel\" id=\"phone\"");
  ASSERT_NE(error, std::string::npos);
  ASSERT_NE(control, std::string::npos);
  EXPECT_LT(error, control) << "the error is read before the field";
  EXPECT_NE(html.find("aria-describedby=\"phone-error\" aria-invalid=\"true\""), std::string::npos);
  EXPECT_NE(html.find("role=\"alert\""), std::string::npos) << "an error summary is announced";
  EXPECT_NE(html.find("href=\"#phone\""), std::string::npos) << "the summary links to the field";
}

TEST(render_form, fixed_place_replaces_the_address_field) {
  auto v = sample_view(language::zh);
  v.action = "/q/ABC";
  v.place = "路灯照明 LAMP-0123，某路12号<img src=x>";
  v.ask_category = false;
  const auto html = render_form(v);
  EXPECT_NE(html.find("路灯照明 LAMP-0123，某路12号&lt;img src=x&gt;"), std::string::npos);
  EXPECT_EQ(html.find("id=\"address\""), std::string::npos);
  EXPECT_EQ(html.find("id=\"category\""), std::string::npos);
  EXPECT_NE(html.find("action=\"/q/ABC\""), std::string::npos);
}

TEST(render_receipt, shows_the_number_and_the_emergency_line) {
  receipt_view r;
  r.form_path = "/form";
  r.tracking_number = "DDZF-001S-0063-W";
  auto html = render_receipt(r);
  EXPECT_NE(html.find("<p class=\"tracking\" id=\"tracking-number\">DDZF-001S-0063-W</p>"),
            std::string::npos);
  EXPECT_EQ(html.find("class=\"urgent\""), std::string::npos);
  r.emergency_advice = "情况紧急，请立即拨打119。";
  r.lang = language::en;
  html = render_receipt(r);
  EXPECT_NE(html.find("<div class=\"urgent\" role=\"alert\"><p>情况紧急，请立即拨打119。</p>"),
            std::string::npos);
  EXPECT_NE(html.find("<html lang=\"en\">"), std::string::npos);
  EXPECT_NE(html.find("href=\"/form?lang=en\""), std::string::npos);
}

TEST(render_message, escapes_everything) {
  const auto html = render_message(language::zh, "<h1>", "a & <b>", "/form");
  EXPECT_NE(html.find("<h1>&lt;h1&gt;</h1>"), std::string::npos);
  EXPECT_NE(html.find("a &amp; &lt;b&gt;"), std::string::npos);
}

}  // namespace
}  // namespace intake::channels::web
