#pragma once
// Where the QR code key, the revocation list and the codes' base URL come from; shared by the
// collector's qrcode channel and `intakectl qr`, so both always agree.
#include <string>
#include <vector>

#include "common/config/config.hpp"
#include "common/config/key_spec.hpp"

namespace intake::channels::qrcode {

/// The qrcode channel's own rows (relative to [channels.qrcode]), without the page rows.
std::vector<config::key_spec> qr_keys();

/// The signing key: channels.qrcode.key_file, else {data_dir}/qrcode.key (created once).
/// Throws (startup only).
std::string qr_signing_key(const config::config& cfg);

/// channels.qrcode.revocation_file, else {data_dir}/qr-revoked.txt.
std::string revocation_path(const config::config& cfg);

/// channels.qrcode.public_base_url, else media.public_base_url, without a trailing slash; empty
/// when neither is set.
std::string qr_base_url(const config::config& cfg);

}  // namespace intake::channels::qrcode
