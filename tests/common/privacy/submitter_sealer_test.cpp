#include "common/privacy/submitter_sealer.hpp"

#include <gtest/gtest.h>

namespace intake::privacy {
namespace {

struct sealer_fixture {
  key_pair keys = *generate_key_pair();
  submitter_sealer sealer = *submitter_sealer::create(keys.pub);
};

model::submitter person(std::optional<std::string> name, std::optional<std::string> phone,
                        std::optional<std::string> email, std::optional<std::string> openid) {
  model::submitter p;
  p.name = std::move(name);
  p.phone = std::move(phone);
  p.email = std::move(email);
  p.openid = std::move(openid);
  if (p.phone) p.phone_masked = "139****5678";
  if (p.email) p.email_masked = "o***@example.cn";
  p.ref = std::string(32, 'a');
  return p;
}

TEST(submitter_sealer, moves_every_clear_field_into_sealed_and_opens_to_the_same_values) {
  sealer_fixture f;
  struct case_row {
    const char* what;
    model::submitter in;
  };
  const case_row cases[] = {
      {"all four", person("欧阳娜娜", "+8613912345678", "ouyang@example.cn", "oAbC-123_xyz")},
      {"phone only", person({}, "+8613912345678", {}, {})},
      {"name only", person("李四", {}, {}, {})},
      {"e-mail and openid", person({}, {}, "li.si@example.cn", "o_9")},
      {"quotes and controls", person("A \"B\" \\ C\n", {}, {}, {})},
  };
  for (const auto& c : cases) {
    model::submitter p = c.in;
    ASSERT_TRUE(f.sealer.seal(p)) << c.what;
    ASSERT_TRUE(p.sealed) << c.what;
    EXPECT_FALSE(p.name || p.phone || p.email || p.openid) << c.what;
    // What the centre needs without the key stays.
    EXPECT_EQ(p.ref, c.in.ref) << c.what;
    EXPECT_EQ(p.phone_masked, c.in.phone_masked) << c.what;
    EXPECT_EQ(p.email_masked, c.in.email_masked) << c.what;

    auto opened = open_personal_data(*p.sealed, f.keys);
    ASSERT_TRUE(opened) << c.what << ": " << opened.error().message;
    EXPECT_EQ(*opened, (personal_data{c.in.name, c.in.phone, c.in.email, c.in.openid})) << c.what;
  }
}

TEST(submitter_sealer, a_submitter_without_personal_data_gets_no_sealed_field) {
  sealer_fixture f;
  model::submitter p;
  ASSERT_TRUE(f.sealer.seal(p));
  EXPECT_FALSE(p.sealed);
}

TEST(submitter_sealer, the_plaintext_holds_only_the_fields_present) {
  EXPECT_EQ(personal_data_json({"张三", "+8613800138000", {}, {}}),
            R"({"name":"张三","phone":"+8613800138000"})");
  EXPECT_EQ(personal_data_json({}), "{}");
}

TEST(submitter_sealer, an_unusable_key_is_refused_at_creation) {
  EXPECT_FALSE(submitter_sealer::create(public_key{}));
}

TEST(open_personal_data, fails_cleanly_with_the_wrong_key) {
  sealer_fixture f;
  const auto stranger = *generate_key_pair();
  model::submitter p = person("王五", "+8613912345678", {}, {});
  ASSERT_TRUE(f.sealer.seal(p));
  auto opened = open_personal_data(*p.sealed, stranger);
  ASSERT_FALSE(opened);
  EXPECT_EQ(opened.error().code, core::errc::invalid_field);
}

}  // namespace
}  // namespace intake::privacy
