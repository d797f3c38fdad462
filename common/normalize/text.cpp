#include "common/normalize/text.hpp"

#include <opencc/opencc.h>

#include <utf8proc.h>
#include <array>
#include <atomic>

#include <cstdint>
#include <cstdlib>
#include <memory>
#include <optional>

namespace intake::normalize {

namespace {

// RFC 3629, checked here rather than left to utf8proc_map so that what counts as invalid (overlong
// forms, surrogates, > U+10FFFF) is explicit, tested, and independent of the utf8proc release.
bool is_valid_utf8(std::string_view s) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const auto* end = p + s.size();
  while (p < end) {
    const unsigned char b = *p;
    if (b < 0x80) {
      ++p;
      continue;
    }
    std::size_t len = 0;
    unsigned char lo = 0x80;
    unsigned char hi = 0xBF;
    if (b >= 0xC2 && b <= 0xDF) {
      len = 2;
    } else if (b >= 0xE0 && b <= 0xEF) {
      len = 3;
      if (b == 0xE0) lo = 0xA0;  // overlong
      if (b == 0xED) hi = 0x9F;  // UTF-16 surrogates
    } else if (b >= 0xF0 && b <= 0xF4) {
      len = 4;
      if (b == 0xF0) lo = 0x90;  // overlong
      if (b == 0xF4) hi = 0x8F;  // above U+10FFFF
    } else {
      return false;  // continuation byte, C0/C1 overlong lead, or F5..FF
    }
    if (static_cast<std::size_t>(end - p) < len) return false;
    if (p[1] < lo || p[1] > hi) return false;
    for (std::size_t i = 2; i < len; ++i) {
      if (p[i] < 0x80 || p[i] > 0xBF) return false;
    }
    p += len;
  }
  return true;
}

bool is_zero_width(std::int32_t cp) {
  return (cp >= 0x200B && cp <= 0x200D) || cp == 0x2060 || cp == 0xFEFF;
}

bool is_fold_space(std::int32_t cp) {
  if (cp <= 0x20 || (cp >= 0x7F && cp <= 0x9F)) return true;  // C0, space, DEL, C1
  if (cp < 0xA0) return false;
  if (is_zero_width(cp)) return true;
  const auto cat = utf8proc_category(cp);
  return cat == UTF8PROC_CATEGORY_ZS || cat == UTF8PROC_CATEGORY_ZL || cat == UTF8PROC_CATEGORY_ZP;
}

struct malloc_deleter {
  void operator()(void* p) const noexcept { std::free(p); }
};

// OpenCC handles keep per-conversion state, so each thread owns one.
class opencc_t2s {
 public:
  opencc_t2s() noexcept {
    try {
      handle_ = opencc_open("t2s.json");
    } catch (...) {
      handle_ = failed();
    }
  }
  ~opencc_t2s() {
    if (ok()) opencc_close(handle_);
  }
  opencc_t2s(const opencc_t2s&) = delete;
  opencc_t2s& operator=(const opencc_t2s&) = delete;

  bool ok() const noexcept { return handle_ != nullptr && handle_ != failed(); }

  std::optional<std::string> convert(std::string_view in) const noexcept {
    if (!ok()) return std::nullopt;
    struct opencc_deleter {
      void operator()(char* p) const noexcept { opencc_convert_utf8_free(p); }
    };
    // The OpenCC C API only catches std::runtime_error; anything else must stop here.
    try {
      std::unique_ptr<char, opencc_deleter> out(opencc_convert_utf8(handle_, in.data(), in.size()));
      if (!out) return std::nullopt;
      return std::string(out.get());
    } catch (...) {
      return std::nullopt;
    }
  }

  static opencc_t2s& for_this_thread() {
    thread_local opencc_t2s instance;
    return instance;
  }

 private:
  // opencc_open reports failure as (opencc_t)-1, not nullptr.
  static opencc_t failed() noexcept {
    return reinterpret_cast<opencc_t>(-1);  // NOLINT(performance-no-int-to-ptr)
  }

  opencc_t handle_ = nullptr;
};

}  // namespace

core::result<std::string> normalize_text(std::string_view in) {
  if (!is_valid_utf8(in)) return core::fail(core::errc::invalid_utf8, "text is not valid UTF-8");
  if (in.empty()) return std::string();

  // STRIPCC is not used: it deletes some controls outright, which would glue words together
  // where the citizen had a tab or line break; the fold below turns them into spaces instead.
  utf8proc_uint8_t* mapped = nullptr;
  const utf8proc_ssize_t len = utf8proc_map(
      reinterpret_cast<const utf8proc_uint8_t*>(in.data()),
      static_cast<utf8proc_ssize_t>(in.size()), &mapped,
      static_cast<utf8proc_option_t>(UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_COMPAT));
  const std::unique_ptr<utf8proc_uint8_t, malloc_deleter> owner(mapped);
  if (len < 0) {
    switch (len) {
      case UTF8PROC_ERROR_INVALIDUTF8:
        return core::fail(core::errc::invalid_utf8, "text is not valid UTF-8");
      case UTF8PROC_ERROR_OVERFLOW:
        return core::fail(core::errc::payload_too_large, "text is too large to normalize");
      default:
        return core::fail(core::errc::internal, "text normalization failed");
    }
  }

  std::string out;
  out.reserve(static_cast<std::size_t>(len));
  bool pending_space = false;
  const utf8proc_uint8_t* p = mapped;
  utf8proc_ssize_t left = len;
  while (left > 0) {
    std::int32_t cp = 0;
    const auto n = utf8proc_iterate(p, left, &cp);
    if (n <= 0) return core::fail(core::errc::internal, "text normalization failed");
    if (is_fold_space(cp)) {
      pending_space = !out.empty();
    } else {
      if (pending_space) out.push_back(' ');
      pending_space = false;
      out.append(reinterpret_cast<const char*>(p), static_cast<std::size_t>(n));
    }
    p += n;
    left -= n;
  }
  return out;
}

std::size_t count_chars(std::string_view utf8) {
  std::size_t n = 0;
  for (const char c : utf8) {
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++n;
  }
  return n;
}

namespace {

// Traditional → simplified one character at a time, each answer asked of OpenCC once and kept.
// OpenCC's phrase matching costs ~170k instructions per complaint; matching needs only the
// character fold (a phrase-level choice such as 乾坤/干 never decides whether two texts match).
class char_fold_cache {
 public:
  static char_fold_cache& instance() {
    static char_fold_cache cache;
    return cache;
  }

  /// The simplified form of `cp`, or `cp` itself when OpenCC has none (or is unavailable).
  std::int32_t fold(std::int32_t cp) {
    auto* slot = slot_of(cp);
    if (slot == nullptr) return convert(cp);  // outside the cached blocks: rare, ask each time
    auto v = slot->load(std::memory_order_relaxed);
    if (v == 0) {
      v = convert(cp);
      slot->store(v, std::memory_order_relaxed);  // every thread computes the same answer
    }
    return v;
  }

 private:
  // CJK Extension A, Unified Ideographs, Compatibility Ideographs.
  static constexpr std::int32_t ext_a = 0x3400, unified_end = 0xA000;
  static constexpr std::int32_t compat = 0xF900, compat_end = 0xFB00;

  std::atomic<std::int32_t>* slot_of(std::int32_t cp) {
    if (cp >= ext_a && cp < unified_end) return &main_[static_cast<std::size_t>(cp - ext_a)];
    if (cp >= compat && cp < compat_end) return &compat_[static_cast<std::size_t>(cp - compat)];
    return nullptr;
  }

  static std::int32_t convert(std::int32_t cp) {
    utf8proc_uint8_t buf[8] = {};
    const auto n = utf8proc_encode_char(cp, buf);
    const std::string one(reinterpret_cast<const char*>(buf), static_cast<std::size_t>(n));
    const auto converted = opencc_t2s::for_this_thread().convert(one);
    if (!converted || converted->empty()) return cp;
    std::int32_t out = 0;
    const auto len = utf8proc_iterate(reinterpret_cast<const utf8proc_uint8_t*>(converted->data()),
                                      static_cast<utf8proc_ssize_t>(converted->size()), &out);
    if (len <= 0 || static_cast<std::size_t>(len) != converted->size()) return cp;
    return out;
  }

  std::array<std::atomic<std::int32_t>, unified_end - ext_a> main_{};
  std::array<std::atomic<std::int32_t>, compat_end - compat> compat_{};
};

std::string fold_script(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  auto& cache = char_fold_cache::instance();
  const auto* p = reinterpret_cast<const utf8proc_uint8_t*>(text.data());
  auto left = static_cast<utf8proc_ssize_t>(text.size());
  while (left > 0) {
    std::int32_t cp = 0;
    const auto n = utf8proc_iterate(p, left, &cp);
    if (n <= 0) {
      ++p;
      --left;
      continue;
    }
    if (cp < 0x3400) {
      out.append(reinterpret_cast<const char*>(p), static_cast<std::size_t>(n));
    } else {
      utf8proc_uint8_t buf[8];
      const auto len = utf8proc_encode_char(cache.fold(cp), buf);
      out.append(reinterpret_cast<const char*>(buf), static_cast<std::size_t>(len));
    }
    p += n;
    left -= n;
  }
  return out;
}

}  // namespace

std::string fold_for_matching(std::string_view normalized) {
  const std::string script = fold_script(normalized);

  std::string out;
  out.reserve(script.size());
  const auto* p = reinterpret_cast<const utf8proc_uint8_t*>(script.data());
  auto left = static_cast<utf8proc_ssize_t>(script.size());
  while (left > 0) {
    std::int32_t cp = 0;
    const auto n = utf8proc_iterate(p, left, &cp);
    if (n <= 0) {  // not normalized input: drop the bad byte rather than fail matching
      ++p;
      --left;
      continue;
    }
    const std::string_view bytes(reinterpret_cast<const char*>(p), static_cast<std::size_t>(n));
    p += n;
    left -= n;
    if (cp < 0x80) {
      const char c = static_cast<char>(cp);
      if (c >= 'A' && c <= 'Z') {
        out.push_back(static_cast<char>(c - 'A' + 'a'));
      } else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
        out.push_back(c);
      }
      continue;  // every other ASCII character is a control, space, punctuation or symbol
    }
    switch (utf8proc_category(cp)) {
      case UTF8PROC_CATEGORY_ZS:
      case UTF8PROC_CATEGORY_ZL:
      case UTF8PROC_CATEGORY_ZP:
      case UTF8PROC_CATEGORY_CC:
      case UTF8PROC_CATEGORY_CF:  // invisible (zero-width, soft hyphen): never tells texts apart
      case UTF8PROC_CATEGORY_PC:
      case UTF8PROC_CATEGORY_PD:
      case UTF8PROC_CATEGORY_PS:
      case UTF8PROC_CATEGORY_PE:
      case UTF8PROC_CATEGORY_PI:
      case UTF8PROC_CATEGORY_PF:
      case UTF8PROC_CATEGORY_PO:
      case UTF8PROC_CATEGORY_SM:
      case UTF8PROC_CATEGORY_SC:
      case UTF8PROC_CATEGORY_SK:
      case UTF8PROC_CATEGORY_SO:
        break;
      default:
        out.append(bytes);
    }
  }
  return out;
}

bool script_folding_available() {
  return opencc_t2s::for_this_thread().ok();
}

}  // namespace intake::normalize
