#include "channels/web/form_fields.hpp"

#include <gtest/gtest.h>

namespace intake::channels::web {
namespace {

using namespace std::string_literals;

const std::string jpeg = "\xff\xd8\xff\xe0\x00\x10JFIF\x00"s + std::string(100, 'j');
const std::string png = "\x89PNG\r\n\x1a\n"s + std::string(100, 'p');
const std::string heic =
    "\x00\x00\x00\x18"
    "ftypheic\x00\x00\x00\x00"s +
    std::string(100, 'h');

form_data form(std::vector<std::pair<std::string, std::string>> fields,
               std::vector<std::pair<std::string, std::string>> photos = {}) {
  form_data f;
  for (auto& [k, v] : fields) f.parts.push_back({k, v, std::nullopt, {}});
  for (auto& [name, bytes] : photos) f.parts.push_back({"photo", bytes, name, "image/jpeg"});
  return f;
}

struct fields_case {
  std::string name;
  form_data input;
  std::map<std::string, field_problem> errors;
};

TEST(check_form, table) {
  const std::vector<category> categories = {{"urban.lighting", "路灯照明", "Street lighting"}};
  form_rules rules;
  rules.categories = &categories;
  rules.photo_max_bytes = 1000;
  const std::vector<fields_case> cases = {
      {"description only", form({{"description", "路灯坏了"}}), {}},
      {"everything",
       form({{"description", "路灯坏了"},
             {"title", "路灯"},
             {"category", "urban.lighting"},
             {"address", "某路12号"},
             {"name", "张三"},
             {"phone", "138 0013 8000"},
             {"email", "A@Example.cn"}},
            {{"a.jpg", jpeg}, {"b.png", png}, {"c.heic", heic}}),
       {}},
      {"no description", form({{"title", "x"}}), {{"description", field_problem::required}}},
      {"blank description",
       form({{"description", " \u3000\n"}}),
       {{"description", field_problem::required}}},
      {"description too long",
       form({{"description", std::string(5001, 'x')}}),
       {{"description", field_problem::too_long}}},
      {"title too long",
       form({{"description", "x"}, {"title", std::string(201, 't')}}),
       {{"title", field_problem::too_long}}},
      {"invalid UTF-8",
       form({{"description", "\xff\xfe"}}),
       {{"description", field_problem::invalid_text}}},
      {"bad phone",
       form({{"description", "x"}, {"phone", "12345"}}),
       {{"phone", field_problem::invalid_phone}}},
      {"bad e-mail",
       form({{"description", "x"}, {"email", "a@b"}}),
       {{"email", field_problem::invalid_email}}},
      {"unknown category",
       form({{"description", "x"}, {"category", "nuclear"}}),
       {{"category", field_problem::unknown_category}}},
      {"four photos",
       form({{"description", "x"}}, {{"1", jpeg}, {"2", jpeg}, {"3", jpeg}, {"4", jpeg}}),
       {{"photo", field_problem::too_many_photos}}},
      {"a script named .jpg",
       form({{"description", "x"}}, {{"a.jpg", "<script>x</script>"}}),
       {{"photo", field_problem::photo_type}}},
      {"a PDF is not a photo",
       form({{"description", "x"}}, {{"a.pdf", "%PDF-1.4 xxxxxxxxxxxx"}}),
       {{"photo", field_problem::photo_type}}},
      {"photo too large",
       form({{"description", "x"}}, {{"a.jpg", jpeg + std::string(1000, 'x')}}),
       {{"photo", field_problem::photo_too_large}}},
      {"several problems at once",
       form({{"phone", "1"}, {"email", "x"}}),
       {{"description", field_problem::required},
        {"phone", field_problem::invalid_phone},
        {"email", field_problem::invalid_email}}},
  };
  for (const auto& c : cases) {
    const auto checked = check_form(c.input, rules);
    EXPECT_EQ(checked.errors, c.errors) << c.name;
    if (!c.errors.empty()) {
      EXPECT_TRUE(checked.photos.empty()) << c.name;
    }
  }
}

TEST(check_form, keeps_input_and_fills_the_submission) {
  const std::vector<category> categories = {{"urban.lighting", "路灯照明", "Street lighting"}};
  form_rules rules;
  rules.categories = &categories;
  const auto checked = check_form(form({{"description", "路灯坏了 <b>"},
                                        {"category", "urban.lighting"},
                                        {"address", "某路12号"},
                                        {"name", "张三"},
                                        {"phone", "13800138000"},
                                        {"lang", "en"},
                                        {"token", "t"}},
                                       {{"C:\\photos\\灯.jpg", jpeg}}),
                                  rules);
  ASSERT_TRUE(checked.errors.empty());
  EXPECT_EQ(checked.lang, language::en);
  EXPECT_EQ(checked.token, "t");
  EXPECT_EQ(checked.values.at("description"), "路灯坏了 <b>");
  EXPECT_EQ(checked.raw.description, "路灯坏了 <b>");
  EXPECT_EQ(checked.raw.service_code, "urban.lighting");
  EXPECT_EQ(checked.raw.location.address_string, "某路12号");
  EXPECT_EQ(checked.raw.submitter.name, "张三");
  EXPECT_EQ(checked.phone, "+8613800138000");
  ASSERT_EQ(checked.photos.size(), 1u);
  EXPECT_EQ(checked.photos[0].media_type, "image/jpeg");
  EXPECT_EQ(checked.photos[0].name, "灯.jpg");
  EXPECT_FALSE(checked.honeypot);
}

TEST(check_form, honeypot_and_fixed_place) {
  form_rules rules;
  rules.ask_address = false;
  rules.ask_category = false;
  const auto checked = check_form(form({{"description", "x"},
                                        {"website", "http://spam"},
                                        {"address", "elsewhere"},
                                        {"category", "nuclear"}}),
                                  rules);
  EXPECT_TRUE(checked.honeypot);
  EXPECT_TRUE(checked.errors.empty()) << "address and category are not asked on a QR page";
  EXPECT_FALSE(checked.raw.location.address_string);
  EXPECT_FALSE(checked.raw.service_code);
}

TEST(clean_file_name, table) {
  EXPECT_EQ(clean_file_name("a.jpg"), "a.jpg");
  EXPECT_EQ(clean_file_name("C:\\Users\\x\\a.jpg"), "a.jpg");
  EXPECT_EQ(clean_file_name("../../etc/passwd"), "passwd");
  EXPECT_EQ(clean_file_name(""), std::nullopt);
  EXPECT_EQ(clean_file_name("dir/"), std::nullopt);
  EXPECT_EQ(clean_file_name("\xff.jpg"), std::nullopt);
  std::string many;
  for (int i = 0; i < 60; ++i) many += "灯";
  const auto cut = clean_file_name(many);
  ASSERT_TRUE(cut);
  EXPECT_LE(cut->size(), 120u);
  EXPECT_EQ(cut->size() % 3, 0u) << "cut on a character boundary";
}

}  // namespace
}  // namespace intake::channels::web
