#pragma once
// Finds every occurrence of a fixed set of terms in one pass over the text (Aho-Corasick over
// UTF-8 bytes), so assessing a message costs one scan however many rules and terms there are.
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace intake::triage {

/// A stretch of the scanned text in characters (code points), [start, end).
struct span {
  std::uint32_t start = 0;
  std::uint32_t end = 0;
};

/// One occurrence of one term.
struct term_hit {
  std::uint32_t term = 0;
  span at;
};

class term_matcher {
 public:
  /// Adds a term (non-empty UTF-8) and returns its id; the same term twice gets the same id.
  /// Must not be called after build().
  std::uint32_t add(std::string_view term);

  /// Computes the failure links; call once after the last add().
  void build();

  /// Number of distinct terms.
  std::size_t size() const { return terms_.size(); }
  const std::string& term(std::uint32_t id) const { return terms_[id]; }

  /// Appends every occurrence of every term in `text` to `out`, ordered by where they end
  /// (occurrences of one term therefore also by where they start). Linear in the text's length
  /// plus the number of occurrences. Text that is not valid UTF-8 yields no error, only
  /// meaningless positions.
  void scan(std::string_view text, std::vector<term_hit>& out) const;

 private:
  static constexpr std::uint32_t none = std::numeric_limits<std::uint32_t>::max();

  struct node {
    std::vector<std::pair<unsigned char, std::uint32_t>> next;  // sorted by byte
    std::uint32_t fail = 0;
    std::uint32_t term = none;    // the term that ends here, if any
    std::uint32_t output = none;  // nearest node on the failure chain where a term ends
  };

  std::uint32_t child(std::uint32_t from, unsigned char byte) const;

  std::vector<node> nodes_{node{}};
  std::vector<std::string> terms_;
  std::vector<std::uint32_t> term_chars_;
  std::unordered_map<std::string, std::uint32_t> ids_;
  bool built_ = false;
};

}  // namespace intake::triage
