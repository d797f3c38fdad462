#pragma once
// HTML-only mail (webmail, phones) read as text: tags dropped, blocks become lines, entities
// decoded, scripts and styles skipped. Enough for a complaint; not a renderer.
#include <string>
#include <string_view>

namespace intake::channels::email {

std::string html_to_text(std::string_view html);

}  // namespace intake::channels::email
