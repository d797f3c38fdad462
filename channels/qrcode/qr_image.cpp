#include "channels/qrcode/qr_image.hpp"

#include <png.h>
#include <qrencode.h>

#include <memory>

#include "channels/web/html.hpp"

namespace intake::channels::qrcode {

namespace {

constexpr int quiet_zone = 4;

struct qrcode_deleter {
  void operator()(QRcode* code) const { QRcode_free(code); }
};

void append_to_string(png_structp png, png_bytep data, png_size_t length) {
  auto* out = static_cast<std::string*>(png_get_io_ptr(png));
  out->append(reinterpret_cast<const char*>(data), length);
}

void flush_nothing(png_structp) {}

// libpng reports errors by longjmp, so this function holds no C++ object a jump could skip.
bool write_png(const unsigned char* pixels, std::size_t stride, int size, std::string* out) {
  png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, nullptr, nullptr, nullptr);
  if (!png) return false;
  png_infop info = png_create_info_struct(png);
  if (!info || setjmp(png_jmpbuf(png))) {
    png_destroy_write_struct(&png, info ? &info : nullptr);
    return false;
  }
  png_set_write_fn(png, out, append_to_string, flush_nothing);
  png_set_IHDR(png, info, static_cast<png_uint_32>(size), static_cast<png_uint_32>(size), 1,
               PNG_COLOR_TYPE_GRAY, PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT,
               PNG_FILTER_TYPE_DEFAULT);
  png_write_info(png, info);
  for (int y = 0; y < size; ++y) {
    png_write_row(png, const_cast<png_bytep>(pixels + static_cast<std::size_t>(y) * stride));
  }
  png_write_end(png, nullptr);
  png_destroy_write_struct(&png, &info);
  return true;
}

}  // namespace

core::result<qr_matrix> encode_qr(std::string_view text) {
  const std::string input(text);
  std::unique_ptr<QRcode, qrcode_deleter> code(
      QRcode_encodeString(input.c_str(), 0, QR_ECLEVEL_M, QR_MODE_8, 1));
  if (!code) {
    return core::fail(core::errc::invalid_field, "the text does not fit in a QR code");
  }
  qr_matrix out;
  out.version = code->version;
  out.width = code->width;
  out.dark.resize(static_cast<std::size_t>(code->width) * static_cast<std::size_t>(code->width));
  for (std::size_t i = 0; i < out.dark.size(); ++i) out.dark[i] = (code->data[i] & 1) != 0;
  return out;
}

std::string to_svg(const qr_matrix& code, std::string_view caption) {
  const int size = code.width + 2 * quiet_zone;
  const int caption_height = caption.empty() ? 0 : 6;
  std::string svg =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " +
      std::to_string(size) + " " + std::to_string(size + caption_height) + "\" width=\"" +
      std::to_string(size * 10) + "\" height=\"" + std::to_string((size + caption_height) * 10) +
      "\" shape-rendering=\"crispEdges\">\n<rect width=\"100%\" height=\"100%\" "
      "fill=\"#fff\"/>\n<path fill=\"#000\" d=\"";
  for (int y = 0; y < code.width; ++y) {
    for (int x = 0; x < code.width; ++x) {
      if (!code.dark[static_cast<std::size_t>(y * code.width + x)]) continue;
      svg +=
          "M" + std::to_string(x + quiet_zone) + " " + std::to_string(y + quiet_zone) + "h1v1h-1z";
    }
  }
  svg += "\"/>\n";
  if (!caption.empty()) {
    svg += "<text x=\"" + std::to_string(size / 2) + "\" y=\"" + std::to_string(size + 3) +
           "\" font-size=\"2.4\" text-anchor=\"middle\" font-family=\"sans-serif\">" +
           web::escape_html(caption) + "</text>\n";
  }
  svg += "</svg>\n";
  return svg;
}

core::result<std::string> to_png(const qr_matrix& code, int scale) {
  const int size = (code.width + 2 * quiet_zone) * scale;
  const std::size_t stride = static_cast<std::size_t>((size + 7) / 8);
  std::vector<unsigned char> pixels(stride * static_cast<std::size_t>(size), 0xff);  // white
  for (int py = 0; py < size; ++py) {
    const int y = py / scale - quiet_zone;
    if (y < 0 || y >= code.width) continue;
    for (int px = 0; px < size; ++px) {
      const int x = px / scale - quiet_zone;
      if (x < 0 || x >= code.width || !code.dark[static_cast<std::size_t>(y * code.width + x)])
        continue;
      pixels[static_cast<std::size_t>(py) * stride + static_cast<std::size_t>(px / 8)] &=
          static_cast<unsigned char>(~(0x80 >> (px % 8)));
    }
  }
  std::string out;
  if (!write_png(pixels.data(), stride, size, &out)) {
    return core::fail(core::errc::internal, "libpng could not write the image");
  }
  return out;
}

}  // namespace intake::channels::qrcode
