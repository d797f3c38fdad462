// The pipeline with sealing on: personal data reaches the outbox only sealed, dedup still links
// the submitter through the ref, and the ref is the one a clear pipeline would compute.
#include <gtest/gtest.h>
#include <rapidjson/document.h>
#include <rapidjson/pointer.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <future>
#include <sstream>

#include "common/pipeline/pipeline.hpp"
#include "common/privacy/submitter_sealer.hpp"

namespace intake::privacy {
namespace {

std::optional<std::string> json_string(const std::string& json, const char* pointer) {
  rapidjson::Document doc;
  doc.Parse(json.c_str());
  if (doc.HasParseError()) return std::nullopt;
  const auto* value = rapidjson::Pointer(pointer).Get(doc);
  if (!value || !value->IsString()) return std::nullopt;
  return std::string(value->GetString(), value->GetStringLength());
}

class pipeline_sealing_test : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = ::testing::TempDir() + "/pipeline-sealing-" + std::to_string(::getpid()) + "-" +
           ::testing::UnitTest::GetInstance()->current_test_info()->name();
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    outbox::outbox_options o;
    o.path = dir_ + "/outbox.db";
    o.initial_serial = 1000;
    store_ = std::make_unique<outbox::outbox>(o);
    pipeline::pipeline_options p;
    p.collector_id = "county-01";
    p.region = "440303";
    pipeline_ =
        std::make_unique<pipeline::pipeline>(p, *store_, pipeline::submitter_ref(ref_key), metrics_,
                                             *submitter_sealer::create(keys_.pub));
  }
  void TearDown() override {
    pipeline_.reset();
    store_.reset();
    std::filesystem::remove_all(dir_);
  }

  core::result<model::receipt> submit(const std::string& text, const model::raw_submitter& who) {
    model::raw_submission r;
    r.channel = "api";
    r.description = text;
    r.submitter = who;
    r.received_at = core::system_now();
    std::promise<core::result<model::receipt>> p;
    auto f = p.get_future();
    pipeline_->submit(std::move(r), [&p](core::result<model::receipt> x) { p.set_value(x); });
    return f.get();
  }

  static constexpr const char* ref_key = "0123456789abcdef-test-key";
  std::string dir_;
  key_pair keys_ = *generate_key_pair();
  core::metrics metrics_;
  std::unique_ptr<outbox::outbox> store_;
  std::unique_ptr<pipeline::pipeline> pipeline_;
};

TEST_F(pipeline_sealing_test, stores_personal_data_only_sealed_and_still_links_repeats) {
  const model::raw_submitter who{"欧阳娜娜", "139 1234 5678", "OuYang.NaNa@Example.cn", {}};
  auto first = submit("小区门口路灯坏了一个星期", who);
  auto second = submit("小区门口路灯坏了一个星期了", who);
  ASSERT_TRUE(first && second);
  EXPECT_EQ(second->status, model::dedup_status::duplicate);

  const auto pending = store_->fetch(0, 0, 10);
  ASSERT_EQ(pending.size(), 2u);
  model::submitter expected_identity;
  expected_identity.phone = "+8613912345678";
  const auto expected_ref = pipeline::submitter_ref(ref_key).of(expected_identity);
  for (const auto& event : pending) {
    for (const auto* value : {"欧阳娜娜", "13912345678", "ouyang.nana@example.cn", "OuYang.NaNa"}) {
      EXPECT_EQ(event.payload.find(value), std::string::npos) << value;
    }
    EXPECT_EQ(json_string(event.payload, "/data/submitter/ref"), expected_ref);
    EXPECT_EQ(json_string(event.payload, "/data/submitter/phone_masked"), "139****5678");
    const auto sealed = json_string(event.payload, "/data/submitter/sealed");
    ASSERT_TRUE(sealed);
    auto opened = open_personal_data(*sealed, keys_);
    ASSERT_TRUE(opened) << opened.error().message;
    EXPECT_EQ(*opened, (personal_data{"欧阳娜娜", "+8613912345678", "ouyang.nana@example.cn",
                                      std::nullopt}));
  }
}

}  // namespace
}  // namespace intake::privacy
