#pragma once
// The assembler that joins a citizen's consecutive messages into one submission, on the shared
// durable joiner (common/joiner): each message is durable in the joiner's file before it is
// answered, with a tracking number reserved when the citizen's first message opened the window.
#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "channels/wechat/message_assembler.hpp"
#include "common/core/clock.hpp"
#include "common/pipeline/pipeline.hpp"

namespace intake::channels::wechat {

struct joining_options {
  std::string path;  // the joiner's SQLite file
  std::chrono::milliseconds quiet_period{60000};
  std::function<core::sys_time()> now = core::system_now;
};

/// Starts the joiner (windows left by an earlier run are handed on). Throws at startup when
/// the file cannot be opened.
std::unique_ptr<message_assembler> make_joining_assembler(pipeline::pipeline& pipeline,
                                                          joining_options options);

/// A message as the joiner stores it (JSON), and back.
std::string encode_part(const citizen_message& m);
core::result<citizen_message> decode_part(std::string_view body);

}  // namespace intake::channels::wechat
