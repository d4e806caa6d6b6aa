// libFuzzer: metadata headers, changelog text and the master's info reply are read from files
// and sockets we do not control; none of them may crash the agent.
#include "mfs_metadata.h"
#include "mfs_protocol.h"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    std::string_view bytes(reinterpret_cast<const char*>(data), size);
    std::string_view tail = bytes.substr(bytes.size() > 16 ? bytes.size() - 16 : 0);
    takeover::mfs::parse_metadata(bytes.substr(0, 16), tail);
    takeover::mfs::parse_change_ids(bytes, false);
    takeover::mfs::parse_change_ids(bytes, true);
    takeover::mfs::classify(bytes);
    takeover::mfs::info_reply_length(bytes.substr(0, 8));
    takeover::mfs::parse_info_reply(bytes);
    return 0;
}
