#pragma once
// `intakectl open --secret-key FILE [--public-key FILE] [EVENT.json|-]`: the centre's side of
// sealing. Prints each feed event with data.submitter.sealed replaced by the personal data in it.
// `... --media FILE|-` opens a sealed attachment instead and writes its exact bytes.
#include <istream>
#include <ostream>
#include <string>
#include <vector>

/// Runs the command. `args` is the command line after the program name, starting with "open".
/// Reads one event, a JSONL stream or any run of JSON events from the file, or from `in` when
/// the file is "-" or absent; writes each event opened, one per line, to `out` as soon as it is
/// complete (events without `sealed` pass through unchanged). --public-key, when given, must belong
/// to the secret key. Returns 0 when every event was written, 1 when any could not be read or
/// opened (each is reported to `err`, by position, without its contents), 2 on a usage or key
/// error. With --media, writes the attachment's bytes to `out` and returns 0, or 1 when the
/// input is not a sealed media file or does not open with the key.
int run_open_command(const std::vector<std::string>& args, std::istream& in, std::ostream& out,
                     std::ostream& err);
