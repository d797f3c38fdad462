#pragma once
#include <string_view>

namespace intake::dedup {

/// Jaccard similarity of the character-bigram sets of two script-folded texts (0..1). Bigrams
/// of code points hold up on short SMS-length texts where word shingles have too few members;
/// texts of one character compare by equality.
double text_similarity(std::string_view a, std::string_view b);

}  // namespace intake::dedup
