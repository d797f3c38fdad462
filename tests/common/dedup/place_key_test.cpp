#include "common/dedup/place_key.hpp"

#include <gtest/gtest.h>

namespace intake::dedup {
namespace {

struct place_case {
  std::string name;
  model::raw_location location;
  std::vector<std::string> want;
};

model::raw_location where(std::optional<std::string> asset, std::optional<std::string> address_id,
                          std::optional<std::string> address) {
  model::raw_location l;
  l.asset_id = std::move(asset);
  l.address_id = std::move(address_id);
  l.address_string = std::move(address);
  return l;
}

TEST(place_keys, table) {
  const std::vector<place_case> cases = {
      {"nothing", where({}, {}, {}), {}},
      {"asset, case folded", where("LAMP-0123", {}, {}), {"asset:lamp-0123"}},
      {"address folded", where({}, {}, "深南大道 1001 號，A座"), {"address:深南大道1001号a座"}},
      {"address too short to tell a place", where({}, {}, "家里"), {}},
      {"everything, most specific first",
       where("Lamp-1", "GZ-440303-77", "深南大道1001号"),
       {"asset:lamp-1", "address_id:gz-440303-77", "address:深南大道1001号"}},
  };
  for (const auto& c : cases) EXPECT_EQ(place_keys(c.location), c.want) << c.name;
}

TEST(address_of, reads_address_keys_only) {
  EXPECT_EQ(address_of("address:深南大道1001号"), "深南大道1001号");
  EXPECT_EQ(address_of("asset:lamp-1"), "");
}

}  // namespace
}  // namespace intake::dedup
