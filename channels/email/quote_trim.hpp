#pragma once
// A reply quotes the whole earlier exchange and a forward wraps someone else's message: the
// submission is what the citizen wrote now. Quoted lines, the quoted or forwarded message after
// its header line, and the signature are cut. A message that is only a forward (nothing written
// above it) keeps the forwarded text, since that is the complaint being passed on.
#include <string>
#include <string_view>

namespace intake::channels::email {

struct trimmed_text {
  std::string text;
  bool trimmed = false;  // something was cut
};

trimmed_text trim_quoted(std::string_view body);

}  // namespace intake::channels::email
