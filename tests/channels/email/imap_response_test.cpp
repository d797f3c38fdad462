#include "channels/email/imap_response.hpp"

#include <gtest/gtest.h>

namespace intake::channels::email {
namespace {

struct parse_case {
  const char* line;
  response_kind kind;
  const char* tag;
  const char* status;
  std::optional<std::uint64_t> number;
  const char* keyword;
  const char* code;
  const char* text;
};

TEST(imap_response, parses_each_kind_of_response) {
  const parse_case cases[] = {
      {"a1 OK LOGIN completed", response_kind::tagged, "a1", "OK", {}, "", "", "LOGIN completed"},
      {"a2 NO [AUTHENTICATIONFAILED] Authentication failed.",
       response_kind::tagged,
       "a2",
       "NO",
       {},
       "",
       "AUTHENTICATIONFAILED",
       "Authentication failed."},
      {"a3 BAD Error in IMAP command IDLE: Unknown command.",
       response_kind::tagged,
       "a3",
       "BAD",
       {},
       "",
       "",
       "Error in IMAP command IDLE: Unknown command."},
      {"i7 ok [READ-ONLY] Examine completed",
       response_kind::tagged,
       "i7",
       "OK",
       {},
       "",
       "READ-ONLY",
       "Examine completed"},
      {"* 23 EXISTS", response_kind::untagged, "", "", 23, "EXISTS", "", ""},
      {"* 1 recent", response_kind::untagged, "", "", 1, "RECENT", "", ""},
      {"* 4 EXPUNGE", response_kind::untagged, "", "", 4, "EXPUNGE", "", ""},
      {"* 2 FETCH (FLAGS (\\Seen))", response_kind::untagged, "", "", 2, "FETCH", "",
       "(FLAGS (\\Seen))"},
      {"* OK [CAPABILITY IMAP4rev1 IDLE AUTH=PLAIN] Dovecot ready.",
       response_kind::untagged,
       "",
       "OK",
       {},
       "",
       "CAPABILITY IMAP4rev1 IDLE AUTH=PLAIN",
       "Dovecot ready."},
      {"* PREAUTH IMAP4rev1 server logged in",
       response_kind::untagged,
       "",
       "PREAUTH",
       {},
       "",
       "",
       "IMAP4rev1 server logged in"},
      {"* BYE Server shutting down.",
       response_kind::untagged,
       "",
       "BYE",
       {},
       "",
       "",
       "Server shutting down."},
      {"* CAPABILITY IMAP4rev1 STARTTLS IDLE",
       response_kind::untagged,
       "",
       "",
       {},
       "CAPABILITY",
       "",
       "IMAP4rev1 STARTTLS IDLE"},
      {"* FLAGS (\\Answered \\Flagged)",
       response_kind::untagged,
       "",
       "",
       {},
       "FLAGS",
       "",
       "(\\Answered \\Flagged)"},
      {"+ idling", response_kind::continuation, "", "", {}, "", "", "idling"},
      {"+", response_kind::continuation, "", "", {}, "", "", ""},
      {"+ ", response_kind::continuation, "", "", {}, "", "", ""},
      {"* OK [UNCLOSED code", response_kind::untagged, "", "OK", {}, "", "", "[UNCLOSED code"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.line);
    auto r = parse_response(c.line);
    ASSERT_TRUE(r) << r.error().message;
    EXPECT_EQ(r->kind, c.kind);
    EXPECT_EQ(r->tag, c.tag);
    EXPECT_EQ(r->status, c.status);
    EXPECT_EQ(r->number, c.number);
    EXPECT_EQ(r->keyword, c.keyword);
    EXPECT_EQ(r->code, c.code);
    EXPECT_EQ(r->text, c.text);
  }
}

TEST(imap_response, refuses_what_is_not_a_response) {
  const char* cases[] = {
      "",                               // nothing
      " OK",                            // no tag
      "*",                              // untagged, nothing after
      "* ",                             // idem
      "a1",                             // tagged, no status
      "a1 EXISTS 3",                    // tagged, not OK/NO/BAD
      "a1 PREAUTH ready",               // PREAUTH is only ever untagged
      "* 3",                            // a number and no datum
      "* 99999999999999999999 EXISTS",  // does not fit in 64 bits
  };
  for (const char* line : cases) {
    auto r = parse_response(line);
    ASSERT_FALSE(r) << "'" << line << "'";
    EXPECT_EQ(r.error().code, core::errc::bad_request);
  }
}

TEST(imap_response, reads_capabilities_from_the_datum_or_a_response_code) {
  struct capability_case {
    const char* line;
    std::vector<std::string> expected;
  };
  const capability_case cases[] = {
      {"* CAPABILITY IMAP4rev1 idle  STARTTLS", {"IMAP4REV1", "IDLE", "STARTTLS"}},
      {"* OK [CAPABILITY IMAP4rev1 LOGINDISABLED] ready", {"IMAP4REV1", "LOGINDISABLED"}},
      {"a1 OK [capability IMAP4rev1 IDLE MOVE] Logged in", {"IMAP4REV1", "IDLE", "MOVE"}},
      {"* OK [ALERT] nothing here", {}},
      {"* 3 EXISTS", {}},
  };
  for (const auto& c : cases) {
    auto r = parse_response(c.line);
    ASSERT_TRUE(r) << c.line;
    EXPECT_EQ(capabilities_in(*r), c.expected) << c.line;
  }
  const auto caps = capabilities_in(*parse_response("* CAPABILITY IMAP4rev1 IDLE AUTH=PLAIN"));
  EXPECT_TRUE(has_capability(caps, "idle"));
  EXPECT_TRUE(has_capability(caps, "AUTH=PLAIN"));
  EXPECT_FALSE(has_capability(caps, "STARTTLS"));
  EXPECT_FALSE(has_capability(caps, "IDL"));
}

// Everything the reader returns for `stream` fed in pieces of `chunk` bytes.
core::result<std::vector<std::string>> read_all(std::string_view stream, std::size_t chunk,
                                                response_limits limits = {}) {
  response_reader reader(limits);
  std::vector<std::string> out;
  for (std::size_t at = 0; at < stream.size(); at += chunk) {
    reader.feed(stream.substr(at, chunk));
    while (true) {
      auto next = reader.next();
      if (!next) return tl::unexpected(next.error());
      if (!*next) break;
      out.push_back(std::move(**next));
    }
  }
  return out;
}

TEST(imap_response_reader, cuts_the_stream_into_responses_however_it_arrives) {
  struct stream_case {
    const char* name;
    std::string stream;
    std::vector<std::string> expected;
  };
  const stream_case cases[] = {
      {"lines",
       "* 3 EXISTS\r\n* 1 RECENT\r\n+ idling\r\n",
       {"* 3 EXISTS", "* 1 RECENT", "+ idling"}},
      {"a bare LF", "* OK ready\n* 2 EXISTS\r\n", {"* OK ready", "* 2 EXISTS"}},
      {"a literal with line ends inside",
       "* 1 FETCH (BODY[HEADER] {12}\r\nA: b\r\nC: d\r\n)\r\na1 OK done\r\n",
       {"* 1 FETCH (BODY[HEADER] {12}\r\nA: b\r\nC: d\r\n)", "a1 OK done"}},
      {"two literals in one response",
       "* LIST () \"/\" {3}\r\nabc {2+}\r\nde\r\n",
       {"* LIST () \"/\" {3}\r\nabc {2+}\r\nde"}},
      {"an empty literal", "* X {0}\r\n\r\n", {"* X {0}\r\n"}},
      {"braces that are no literal", "* OK {abc}\r\n* OK {}\r\n", {"* OK {abc}", "* OK {}"}},
      {"an incomplete tail is kept back", "* 3 EXISTS\r\n* 4 EXI", {"* 3 EXISTS"}},
  };
  for (const auto& c : cases) {
    for (const std::size_t chunk : {std::size_t{1}, std::size_t{3}, std::size_t{4096}}) {
      SCOPED_TRACE(std::string(c.name) + ", pieces of " + std::to_string(chunk));
      auto got = read_all(c.stream, chunk);
      ASSERT_TRUE(got) << got.error().message;
      EXPECT_EQ(*got, c.expected);
    }
  }
}

TEST(imap_response_reader, stops_at_its_limits) {
  response_limits small;
  small.max_line = 32;
  small.max_literal = 16;
  small.max_response = 64;
  struct limit_case {
    const char* name;
    std::string stream;
  };
  const limit_case cases[] = {
      {"a line without end", std::string(100, 'x')},
      {"a long line with its end", "* OK " + std::string(40, 'x') + "\r\n"},
      {"a literal over its cap", "* X {17}\r\n" + std::string(17, 'y') + "\r\n"},
      {"a huge announced literal", "* X {9999999999}\r\n"},
      {"literals adding up past the response cap", "* X {16}\r\n" + std::string(16, 'a') +
                                                       " {16}\r\n" + std::string(16, 'b') +
                                                       " {16}\r\n" + std::string(16, 'c') + "\r\n"},
  };
  for (const auto& c : cases) {
    for (const std::size_t chunk : {std::size_t{1}, std::size_t{4096}}) {
      SCOPED_TRACE(std::string(c.name) + ", pieces of " + std::to_string(chunk));
      auto got = read_all(c.stream, chunk, small);
      ASSERT_FALSE(got);
      EXPECT_EQ(got.error().code, core::errc::payload_too_large);
    }
  }
  // Right at the limits is fine.
  auto fits = read_all("* X {16}\r\n" + std::string(16, 'a') + "\r\n", 1, small);
  ASSERT_TRUE(fits);
  EXPECT_EQ(fits->size(), 1u);
}

TEST(imap_response_reader, keeps_what_follows_a_response_for_later) {
  response_reader reader;
  reader.feed("a1 OK Begin TLS\r\nsmuggled");
  auto first = reader.next();
  ASSERT_TRUE(first && *first);
  EXPECT_EQ(**first, "a1 OK Begin TLS");
  EXPECT_EQ(reader.buffered(), 8u);
}

}  // namespace
}  // namespace intake::channels::email
