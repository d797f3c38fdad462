// Real citizens' messages (the shared complaints corpus, read at test time only) sent through
// the e-mail channel's reading path the way Chinese mail clients send them: GBK bytes labelled
// GB2312 (GB18030 where GBK cannot hold a character), base64 bodies, subjects in RFC 2047 words
// split every few characters. Every message must come back exactly, and the quote trimmer must
// not cut anything a citizen wrote.
#include <gtest/gtest.h>
#include <iconv.h>

#include <iostream>

#include "channels/email/email_submission.hpp"
#include "channels/email/mime_parser.hpp"
#include "channels/email/quote_trim.hpp"
#include "common/dedup/pair_evaluation.hpp"

namespace intake::channels::email {
namespace {

// UTF-8 → `charset`, nothing when a character does not fit.
std::optional<std::string> encode(const std::string& utf8, const char* charset) {
  iconv_t cd = ::iconv_open(charset, "UTF-8");
  if (cd == reinterpret_cast<iconv_t>(-1)) return std::nullopt;
  std::string out(utf8.size() * 4 + 16, '\0');
  char* in = const_cast<char*>(utf8.data());
  std::size_t in_left = utf8.size();
  char* dst = out.data();
  std::size_t dst_left = out.size();
  const auto rc = ::iconv(cd, &in, &in_left, &dst, &dst_left);
  ::iconv_close(cd);
  if (rc == static_cast<std::size_t>(-1)) return std::nullopt;
  out.resize(out.size() - dst_left);
  return out;
}

std::string base64(std::string_view in) {
  static constexpr char chars[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  for (std::size_t i = 0; i < in.size(); i += 3) {
    const auto byte = [&](std::size_t k) {
      return k < in.size() ? static_cast<unsigned char>(in[k]) : 0u;
    };
    const unsigned n = (byte(i) << 16) | (byte(i + 1) << 8) | byte(i + 2);
    out += chars[(n >> 18) & 63];
    out += chars[(n >> 12) & 63];
    out += i + 1 < in.size() ? chars[(n >> 6) & 63] : '=';
    out += i + 2 < in.size() ? chars[n & 63] : '=';
  }
  return out;
}

// Splits UTF-8 into pieces of `n` characters.
std::vector<std::string> pieces(const std::string& text, std::size_t n) {
  std::vector<std::string> out;
  std::string rest = text;
  while (!rest.empty()) {
    auto head = truncate_chars(rest, n);
    rest.erase(0, head.size());
    out.push_back(std::move(head));
  }
  return out;
}

std::string without_spaces(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') continue;
    if (s.substr(i, 3) == "\u3000") {
      i += 2;
      continue;
    }
    if (s.substr(i, 2) == "\u00A0") {
      i += 1;
      continue;
    }
    out += s[i];
  }
  return out;
}

TEST(email_corpus, real_messages_survive_chinese_mail_encodings_and_the_quote_trimmer) {
  const std::string path =
      std::string(INTAKE_SHARED_DATA_DIR) + "/complaints/tipdm2020c_attach3_messages_votes.csv";
  const auto rows = dedup::read_csv_file(path);
  ASSERT_TRUE(rows) << "cannot read " << path;
  ASSERT_GT(rows->size(), 4000u);
  constexpr std::size_t subject_column = 2, detail_column = 4;

  std::size_t gbk = 0, gb18030 = 0, trimmed = 0;
  for (std::size_t r = 1; r < rows->size(); ++r) {
    const auto& row = (*rows)[r];
    ASSERT_GT(row.size(), detail_column);
    const std::string& subject = row[subject_column];
    const std::string& detail = row[detail_column];
    if (without_spaces(detail).empty()) continue;
    auto body = encode(detail, "GBK");
    const char* label = "gb2312";
    if (body) {
      ++gbk;
    } else {
      body = encode(detail, "GB18030");
      label = "gb18030";
      ++gb18030;
    }
    ASSERT_TRUE(body) << "row " << r;
    std::string subject_words;
    for (const auto& piece : pieces(subject, 5)) {
      if (!subject_words.empty()) subject_words += "\r\n ";
      subject_words += "=?gbk?B?" + base64(*encode(piece, "GB18030")) + "?=";
    }
    const std::string raw = "From: a@example.cn\r\nMessage-ID: <" + std::to_string(r) +
                            "@example.cn>\r\nSubject: " + subject_words +
                            "\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=" + label +
                            "\r\nContent-Transfer-Encoding: base64\r\n\r\n" + base64(*body) +
                            "\r\n";
    auto parsed = parse_email(raw);
    ASSERT_TRUE(parsed) << "row " << r << ": " << parsed.error().message;
    EXPECT_EQ(parsed->subject, subject) << "row " << r;
    ASSERT_EQ(parsed->body_text, detail) << "row " << r;
    const auto cut = trim_quoted(parsed->body_text);
    // White space at the ends may go; nothing a citizen wrote may.
    EXPECT_EQ(without_spaces(cut.text), without_spaces(detail)) << "row " << r;
    trimmed += cut.trimmed;
  }
  std::cout << "[   info   ] corpus mails: " << gbk << " GBK-labelled-GB2312, " << gb18030
            << " GB18030, " << trimmed << " trimmed\n";
  EXPECT_GT(gbk, 4000u);
}

}  // namespace
}  // namespace intake::channels::email
