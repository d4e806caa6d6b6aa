// The in-memory device of the tests and the fuzzer.
#include "codec.h"
#include "device.h"

#include <cstring>

namespace takeover::lockd::state {

std::string MemoryDevice::read(uint64_t offset, size_t length) {
    if (offset > bytes_.size() || bytes_.size() - offset < length)
        throw StateError(StateError::Kind::io, path_ + ": read beyond the end");
    return bytes_.substr(offset, length);
}

void MemoryDevice::write(uint64_t offset, std::string_view bytes) {
    if (fail_writes)
        throw StateError(*fail_writes == ENOSPC ? StateError::Kind::full : StateError::Kind::io,
                         path_ + ": write: " + std::strerror(*fail_writes));
    if (offset > bytes_.size() || bytes_.size() - offset < bytes.size())
        throw StateError(StateError::Kind::io, path_ + ": write beyond the end");
    bytes_.replace(offset, bytes.size(), bytes);
    writes++;
}

void MemoryDevice::sync() {
    if (fail_syncs)
        throw StateError(StateError::Kind::io,
                         path_ + ": fdatasync: " + std::strerror(*fail_syncs));
    syncs++;
}

}  // namespace takeover::lockd::state
