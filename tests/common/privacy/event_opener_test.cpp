#include "common/privacy/event_opener.hpp"

#include <gtest/gtest.h>

#include "common/model/event_codec.hpp"
#include "common/privacy/submitter_sealer.hpp"

namespace intake::privacy {
namespace {

model::submission sample() {
  model::submission s;
  s.channel = "api";
  s.description = "小区门口路灯坏了";
  s.description_original = "小区门口路灯坏了";
  s.received_at = core::from_unix_ms(1'700'000'000'123);
  s.location.lat = 22.543096;
  s.location.lon = 114.057865;
  s.person.name = "欧阳娜娜";
  s.person.phone = "+8613912345678";
  s.person.email = "ouyang@example.cn";
  s.person.phone_masked = "139****5678";
  s.person.email_masked = "o***@example.cn";
  s.person.ref = std::string(32, 'b');
  return s;
}

const model::event_envelope envelope{"EV-1", "urn:intake-edge:440303:county-01", "T-1"};

TEST(open_event, gives_back_the_event_the_collector_would_have_sent_in_clear) {
  const auto keys = *generate_key_pair();
  const auto sealer = *submitter_sealer::create(keys.pub);
  auto s = sample();
  const std::string clear = model::encode_event(s, {}, envelope);
  ASSERT_TRUE(sealer.seal(s.person));
  const std::string sealed = model::encode_event(s, {}, envelope);
  for (const auto* value : {"欧阳娜娜", "13912345678", "ouyang@example.cn"}) {
    EXPECT_EQ(sealed.find(value), std::string::npos) << value;
  }

  auto opened = open_event(sealed, keys);
  ASSERT_TRUE(opened) << opened.error().message;
  EXPECT_EQ(*opened, clear);
}

TEST(open_event, passes_an_event_without_sealed_through_unchanged) {
  const auto keys = *generate_key_pair();
  const std::string clear = model::encode_event(sample(), {}, envelope);
  const std::string pretty = "{\n  \"specversion\": \"1.0\",\n  \"data\": {}\n}";
  for (const auto& event : {clear, pretty}) {
    auto opened = open_event(event, keys);
    ASSERT_TRUE(opened);
    EXPECT_EQ(*opened, event);
  }
}

TEST(open_event, refuses_non_events_and_boxes_that_do_not_open) {
  const auto keys = *generate_key_pair();
  const auto stranger = *generate_key_pair();
  auto s = sample();
  ASSERT_TRUE(submitter_sealer::create(keys.pub)->seal(s.person));
  const std::string sealed = model::encode_event(s, {}, envelope);

  struct case_row {
    const char* what;
    std::string event;
    const key_pair* keys;
    core::errc code;
  };
  const case_row cases[] = {
      {"not JSON", "{\"data\":", &keys, core::errc::malformed_json},
      {"not an object", "[1,2]", &keys, core::errc::malformed_json},
      {"wrong key", sealed, &stranger, core::errc::invalid_field},
      {"sealed not a string", R"({"data":{"submitter":{"sealed":5}}})", &keys,
       core::errc::invalid_field},
  };
  for (const auto& c : cases) {
    auto opened = open_event(c.event, *c.keys);
    ASSERT_FALSE(opened) << c.what;
    EXPECT_EQ(opened.error().code, c.code) << c.what;
  }
}

}  // namespace
}  // namespace intake::privacy
