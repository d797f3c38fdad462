#pragma once
// submitter.ref: a keyed hash of the normalized identity. The centre links repeat submitters by
// it without learning who they are; without the key it cannot be reversed by trying phones.
#include <optional>
#include <string>

#include "common/model/submission.hpp"

namespace intake::pipeline {

class submitter_ref {
 public:
  explicit submitter_ref(std::string key) : key_(std::move(key)) {}
  /// The ref of the strongest identity present (phone, then e-mail, then openid), if any.
  std::optional<std::string> of(const model::submitter& person) const;

 private:
  std::string key_;
};

/// Reads the key from `path`, or creates a random one there (mode 0600) when it is absent.
/// Throws std::runtime_error — startup only.
std::string load_or_create_key(const std::string& path);

}  // namespace intake::pipeline
