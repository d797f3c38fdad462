#pragma once
// Result<T> of the request path: a value or a typed error, never an exception.
#include <tl/expected.hpp>

#include "common/core/error.hpp"

namespace intake::core {

template <class T>
using result = tl::expected<T, error>;

/// Shorthand for returning an error from a function that returns result<T>.
inline tl::unexpected<error> fail(errc code, std::string message) {
  return tl::unexpected<error>(error{code, std::move(message)});
}

}  // namespace intake::core
