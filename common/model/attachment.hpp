#pragma once
#include <cstdint>
#include <optional>
#include <string>

namespace intake::model {

/// A stored attachment, referenced by content hash.
struct attachment {
  std::string sha256;
  std::string media_type;
  std::uint64_t size = 0;
  std::optional<std::string> name;
  std::optional<std::string> url;
};

}  // namespace intake::model
