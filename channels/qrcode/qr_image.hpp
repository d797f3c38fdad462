#pragma once
// Printable QR codes (libqrencode) as SVG or PNG, at error-correction level M.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/core/result.hpp"

namespace intake::channels::qrcode {

struct qr_matrix {
  int version = 0;
  int width = 0;
  /// width × width modules, row by row; true is dark.
  std::vector<bool> dark;
};

/// The smallest code of `text` at level M (libqrencode picks the modes: a base32 token goes
/// in alphanumeric mode). Errors: invalid_field when it does not fit any version.
core::result<qr_matrix> encode_qr(std::string_view text);

/// An SVG of the code with a quiet zone of 4 modules; `caption` (escaped) is printed below it.
std::string to_svg(const qr_matrix& code, std::string_view caption = {});

/// A 1-bit grey PNG of the code, `scale` pixels a module, quiet zone of 4 modules.
core::result<std::string> to_png(const qr_matrix& code, int scale = 8);

}  // namespace intake::channels::qrcode
