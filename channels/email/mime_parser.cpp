#include "channels/email/mime_parser.hpp"

#include <gmime/gmime.h>

#include <algorithm>
#include <cctype>
#include <memory>
#include <mutex>
#include <set>

#include "channels/email/charset.hpp"
#include "channels/email/html_text.hpp"
#include "common/core/ascii.hpp"

namespace intake::channels::email {

namespace {

struct gobject_unref {
  void operator()(void* p) const {
    if (p) g_object_unref(p);
  }
};
template <class T>
using gptr = std::unique_ptr<T, gobject_unref>;

struct gfree {
  void operator()(void* p) const { g_free(p); }
};
using gstring = std::unique_ptr<char, gfree>;

struct options_free {
  void operator()(GMimeParserOptions* p) const { g_mime_parser_options_free(p); }
};

void init_gmime() {
  static std::once_flag once;
  std::call_once(once, [] { g_mime_init(); });
}

std::string strip_angles(std::string_view id) {
  while (!id.empty() && std::isspace(static_cast<unsigned char>(id.front()))) id.remove_prefix(1);
  while (!id.empty() && std::isspace(static_cast<unsigned char>(id.back()))) id.remove_suffix(1);
  if (id.size() >= 2 && id.front() == '<' && id.back() == '>') id = id.substr(1, id.size() - 2);
  return std::string(id);
}

// Warnings that mean GMime skipped or guessed at part of the structure.
struct parse_warnings {
  std::set<int> codes;
};

void on_warning(gint64, GMimeParserWarning code, const gchar*, gpointer user_data) {
  static_cast<parse_warnings*>(user_data)->codes.insert(static_cast<int>(code));
}

class decoder {
 public:
  decoder(GMimeParserOptions* options, const parse_limits& limits)
      : options_(options), limits_(limits) {}

  // Decodes a raw (undecoded) header value: unfolds it, reads the GB family as GB18030,
  // decodes RFC 2047 words (GMime is lenient about missing spaces and words split inside a
  // character), and reads unencoded 8-bit bytes by the parser's fallback charsets.
  std::string header_text(const char* raw) const {
    if (!raw) return {};
    const std::string prepared = prepared_value(raw);
    gstring decoded(g_mime_utils_header_decode_text(options_, prepared.c_str()));
    std::string text = decoded ? decoded.get() : "";
    if (!is_valid_utf8(text)) text = to_utf8(text, "");
    // Trim the leading space left by the unfolding.
    const auto first = text.find_first_not_of(" \t");
    return first == std::string::npos ? std::string() : text.substr(first);
  }

  // Unfolded, with its encoded-words made safe for GMime (see normalize_encoded_words).
  static std::string prepared_value(const char* raw) {
    gstring unfolded(g_mime_utils_header_unfold(raw));
    return normalize_encoded_words(unfolded ? unfolded.get() : "");
  }

  struct texts {
    std::string plain;
    std::string html;
    std::string plain_charset;
    std::string html_charset;
  };

  void visit(GMimeObject* object, texts& out, parsed_email& message, int depth) {
    if (depth > 20) return;  // GMime reports a nesting overflow itself
    if (GMIME_IS_MULTIPART(object)) {
      auto* multipart = GMIME_MULTIPART(object);
      const int count = g_mime_multipart_get_count(multipart);
      GMimeContentType* type = g_mime_object_get_content_type(object);
      if (type && g_mime_content_type_is_type(type, "multipart", "alternative")) {
        // Prefer the first alternative that has plain text; else the first with HTML.
        std::vector<texts> choices(static_cast<std::size_t>(count));
        for (int i = 0; i < count; ++i)
          visit(g_mime_multipart_get_part(multipart, i), choices[static_cast<std::size_t>(i)],
                message, depth + 1);
        const auto with_plain = std::find_if(choices.begin(), choices.end(),
                                             [](const texts& t) { return !blank(t.plain); });
        const auto with_html = std::find_if(choices.begin(), choices.end(),
                                            [](const texts& t) { return !blank(t.html); });
        if (with_plain != choices.end()) append(out.plain, out.plain_charset, *with_plain, true);
        if (with_html != choices.end()) append(out.html, out.html_charset, *with_html, false);
        return;
      }
      for (int i = 0; i < count; ++i)
        visit(g_mime_multipart_get_part(multipart, i), out, message, depth + 1);
      return;
    }
    if (GMIME_IS_MESSAGE_PART(object)) {
      // A forwarded message attached whole: its text counts only when the outer one has none
      // (decided by the caller, which sees both).
      GMimeMessage* inner = g_mime_message_part_get_message(GMIME_MESSAGE_PART(object));
      if (!inner) return;
      GMimeObject* body = g_mime_message_get_mime_part(inner);
      if (!body) return;
      texts inner_texts;
      visit(body, inner_texts, message, depth + 1);
      forwarded_.push_back(std::move(inner_texts));
      return;
    }
    if (!GMIME_IS_PART(object)) return;
    auto* part = GMIME_PART(object);
    GMimeContentType* type = g_mime_object_get_content_type(object);
    GMimeContentDisposition* disposition = g_mime_object_get_content_disposition(object);
    const bool is_attachment = disposition && g_mime_content_disposition_is_attachment(disposition);
    const bool is_plain = !type || g_mime_content_type_is_type(type, "text", "plain");
    const bool is_html = type && g_mime_content_type_is_type(type, "text", "html");
    const char* filename = g_mime_part_get_filename(part);
    if ((is_plain || is_html) && !is_attachment && !filename) {
      const char* charset = type ? g_mime_content_type_get_parameter(type, "charset") : nullptr;
      const std::string label = charset ? core::ascii_lower(charset) : "";
      std::string text = to_utf8(content_of(part), label);
      if (is_plain) {
        add_text(out.plain, text);
        if (out.plain_charset.empty()) out.plain_charset = label;
      } else {
        add_text(out.html, text);
        if (out.html_charset.empty()) out.html_charset = label;
      }
      return;
    }
    if (type && g_mime_content_type_is_type(type, "text", "*") && !filename) return;
    email_attachment a;
    if (filename) {
      std::string name = filename;
      a.name = is_valid_utf8(name) ? name : to_utf8(name, "");
    }
    if (type) {
      gstring mime(g_mime_content_type_get_mime_type(type));
      a.declared_type = mime ? core::ascii_lower(mime.get()) : "";
    }
    std::string bytes = content_of(part);
    a.size = bytes.size();
    if (bytes.size() > limits_.max_attachment_bytes ||
        kept_attachments_ >= limits_.max_attachments) {
      a.over_cap = true;
    } else {
      a.bytes = std::move(bytes);
      ++kept_attachments_;
    }
    message.attachments.push_back(std::move(a));
  }

  std::vector<texts>& forwarded() { return forwarded_; }

  static bool blank(const std::string& s) {
    return s.find_first_not_of(" \t\r\n") == std::string::npos;
  }

 private:
  static void add_text(std::string& into, const std::string& text) {
    if (!into.empty() && !text.empty()) into += "\n";
    into += text;
  }
  static void append(std::string& into, std::string& charset, const texts& from, bool plain) {
    add_text(into, plain ? from.plain : from.html);
    if (charset.empty()) charset = plain ? from.plain_charset : from.html_charset;
  }

  // The part's content with its transfer encoding (base64, quoted-printable) undone.
  static std::string content_of(GMimePart* part) {
    GMimeDataWrapper* wrapper = g_mime_part_get_content(part);
    if (!wrapper) return {};
    gptr<GMimeStream> stream(g_mime_stream_mem_new());
    g_mime_data_wrapper_write_to_stream(wrapper, stream.get());
    GByteArray* bytes = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(stream.get()));
    if (!bytes) return {};
    return std::string(reinterpret_cast<const char*>(bytes->data), bytes->len);
  }

  GMimeParserOptions* options_;
  parse_limits limits_;
  std::size_t kept_attachments_ = 0;
  std::vector<texts> forwarded_;
};

std::optional<std::string> first_address(GMimeParserOptions* options, const std::string& text,
                                         std::optional<std::string>* name) {
  if (text.empty()) return std::nullopt;
  gptr<InternetAddressList> list(internet_address_list_parse(options, text.c_str()));
  if (!list) return std::nullopt;
  for (int i = 0; i < internet_address_list_length(list.get()); ++i) {
    InternetAddress* address = internet_address_list_get_address(list.get(), i);
    if (!INTERNET_ADDRESS_IS_MAILBOX(address)) continue;
    const char* addr = internet_address_mailbox_get_addr(INTERNET_ADDRESS_MAILBOX(address));
    if (!addr || !*addr) continue;
    if (name) {
      const char* display = internet_address_get_name(address);
      if (display && *display)
        *name = is_valid_utf8(display) ? std::string(display) : to_utf8(display, "");
    }
    return std::string(addr);
  }
  return std::nullopt;
}

bool critical(const parse_warnings& w) {
  for (const int code :
       {GMIME_CRIT_MULTIPART_WITHOUT_BOUNDARY, GMIME_CRIT_NESTING_OVERFLOW,
        GMIME_CRIT_PART_WITHOUT_HEADERS_OR_CONTENT, GMIME_WARN_MALFORMED_MULTIPART}) {
    if (w.codes.count(code)) return true;
  }
  return false;
}

}  // namespace

std::optional<std::string> parsed_email::header(std::string_view name) const {
  const std::string wanted = core::ascii_lower(name);
  for (const auto& [n, v] : headers) {
    if (core::ascii_lower(n) == wanted) return v;
  }
  return std::nullopt;
}

core::result<parsed_email> parse_email(std::string_view raw, const parse_limits& limits) {
  init_gmime();
  std::unique_ptr<GMimeParserOptions, options_free> options(g_mime_parser_options_new());
  g_mime_parser_options_set_rfc2047_compliance_mode(options.get(), GMIME_RFC_COMPLIANCE_LOOSE);
  g_mime_parser_options_set_address_compliance_mode(options.get(), GMIME_RFC_COMPLIANCE_LOOSE);
  g_mime_parser_options_set_parameter_compliance_mode(options.get(), GMIME_RFC_COMPLIANCE_LOOSE);
  // Raw 8-bit headers (no encoded-words) are read as UTF-8 when valid, else as GB18030.
  const char* fallback[] = {"UTF-8", "GB18030", nullptr};
  g_mime_parser_options_set_fallback_charsets(options.get(), fallback);
  parse_warnings warnings;
  g_mime_parser_options_set_warning_callback(options.get(), on_warning, &warnings);

  gptr<GMimeStream> stream(g_mime_stream_mem_new_with_buffer(raw.data(), raw.size()));
  gptr<GMimeParser> parser(g_mime_parser_new_with_stream(stream.get()));
  gptr<GMimeMessage> message(g_mime_parser_construct_message(parser.get(), options.get()));
  if (!message) return core::fail(core::errc::bad_request, "not a mail message");
  if (critical(warnings)) return core::fail(core::errc::bad_request, "broken MIME structure");

  parsed_email out;
  decoder dec(options.get(), limits);
  GMimeHeaderList* headers = g_mime_object_get_header_list(GMIME_OBJECT(message.get()));
  bool known_header = false;
  std::optional<std::string> from_raw, reply_to_raw;
  for (int i = 0; headers && i < g_mime_header_list_get_count(headers); ++i) {
    GMimeHeader* h = g_mime_header_list_get_header_at(headers, i);
    const char* name = g_mime_header_get_name(h);
    if (!name) continue;
    const std::string lname = core::ascii_lower(name);
    if (lname == "from" || lname == "subject" || lname == "message-id" || lname == "date" ||
        lname == "to" || lname == "received")
      known_header = true;
    const char* raw = g_mime_header_get_raw_value(h);
    out.headers.emplace_back(name, dec.header_text(raw));
    // Addresses are parsed from the encoded value: a decoded display name may hold commas.
    if (raw && lname == "from" && !from_raw) from_raw = decoder::prepared_value(raw);
    if (raw && lname == "reply-to" && !reply_to_raw) reply_to_raw = decoder::prepared_value(raw);
  }
  if (!known_header) return core::fail(core::errc::bad_request, "no mail headers");

  if (auto subject = out.header("Subject")) out.subject = *subject;
  if (const char* id = g_mime_message_get_message_id(message.get()))
    out.message_id = id;
  else if (auto raw_id = out.header("Message-ID"))
    out.message_id = strip_angles(*raw_id);
  if (from_raw) out.from_address = first_address(options.get(), *from_raw, &out.from_name);
  if (reply_to_raw) out.reply_to_address = first_address(options.get(), *reply_to_raw, nullptr);
  if (auto irt = out.header("In-Reply-To")) out.in_reply_to = strip_angles(*irt);
  if (auto refs = out.header("References")) {
    GMimeReferences* list = g_mime_references_parse(options.get(), refs->c_str());
    for (int i = 0; list && i < g_mime_references_length(list); ++i)
      out.references.emplace_back(g_mime_references_get_message_id(list, i));
    if (list) g_mime_references_free(list);
  }

  GMimeObject* body = g_mime_message_get_mime_part(message.get());
  if (body) {
    if (GMimeContentType* type = g_mime_object_get_content_type(body)) {
      gstring mime(g_mime_content_type_get_mime_type(type));
      if (mime) out.content_type = core::ascii_lower(mime.get());
    }
    if (GMIME_IS_MULTIPART(body) && g_mime_multipart_get_count(GMIME_MULTIPART(body)) == 0)
      return core::fail(core::errc::bad_request, "multipart message without parts");
    decoder::texts texts;
    dec.visit(body, texts, out, 0);
    if (decoder::blank(texts.plain) && decoder::blank(texts.html)) {
      for (auto& inner : dec.forwarded()) {
        if (!decoder::blank(inner.plain) || !decoder::blank(inner.html)) {
          texts = std::move(inner);
          break;
        }
      }
    }
    if (!decoder::blank(texts.plain)) {
      out.body_text = std::move(texts.plain);
      out.body_charset = std::move(texts.plain_charset);
    } else if (!decoder::blank(texts.html)) {
      out.body_text = html_to_text(texts.html);
      out.body_from_html = true;
      out.body_charset = std::move(texts.html_charset);
    }
  }
  if (decoder::blank(out.body_text) && decoder::blank(out.subject) && out.attachments.empty())
    return core::fail(core::errc::bad_request, "nothing to read in the message");
  return out;
}

}  // namespace intake::channels::email
