// What the server's request handlers (request_handler.cpp, server_takeover.cpp) share: reading
// a frame's message and refusing a request.
#pragma once

#include "connection.h"
#include "protocol.h"

#include <string>
#include <variant>

namespace takeover::lockd {

// The frame's message as T; null when it is another message.
template <typename T>
const T* message_as(const proto::Frame& f) {
    return std::get_if<T>(&f.message);
}

// Answers the request with an ERROR of this code (its text is the code's name).
inline void reject(Connection& c, const proto::Frame& f, proto::ErrorCode code) {
    c.send(proto::Error{code, std::string(proto::to_string(code))}, f.request_id);
}

}  // namespace takeover::lockd
