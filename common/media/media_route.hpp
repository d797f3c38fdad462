#pragma once
// GET /media/{sha256}?exp=...&sig=...: the central platform fetches an attachment through the
// signed link the event carries. A wrong signature is 403; an expired link or unknown hash 404.
// A sealed file is served sealed, as application/vnd.intake-edge.sealed-media.
#include <functional>

#include "common/core/clock.hpp"
#include "common/http/router.hpp"
#include "common/media/media_store.hpp"
#include "common/media/media_url.hpp"

namespace intake::media {

http::route make_media_route(const media_store& store, const media_url_signer& signer,
                             std::function<core::sys_time()> now);

}  // namespace intake::media
