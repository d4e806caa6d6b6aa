// safety_fencer: the cluster manager's part in the safety run. Every 100 ms it lists the
// server's sessions and acknowledges fencing for the node of every EXPIRED one, which
// releases its locks. An expired client may still be alive (paused, cut off): that is the
// point, its late writes carry a stale token and the fenced store must refuse them.
//   safety_fencer ADDR KEYFILE SECONDS
#include "client.h"
#include "config.h"

#include <chrono>
#include <iostream>
#include <memory>
#include <set>
#include <thread>

using namespace takeover;
using std::chrono::milliseconds;

namespace {

int fence_expired(lockd::client::Client& c) {
    std::set<std::string> nodes;
    for (const auto& s : c.list_sessions().entries)
        if (s.state == lockd::proto::SessionState::expired) nodes.insert(s.node);
    int fenced = 0;
    for (const auto& node : nodes) {
        try {
            c.fence_ack(node);
            fenced++;
        } catch (const lockd::client::RequestError&) {
            // unknown_node: its session went meanwhile.
        }
    }
    return fenced;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 4) {
        std::cerr << "usage: safety_fencer ADDR KEYFILE SECONDS\n";
        return 2;
    }
    try {
        lockd::client::Options o{argv[1], lockd::load_key_file(argv[2])};
        o.connect_timeout = milliseconds(1000);
        o.reply_timeout = milliseconds(2000);
        auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(std::stoi(argv[3]));
        std::unique_ptr<lockd::client::Client> c;
        while (std::chrono::steady_clock::now() < deadline) {
            try {
                if (!c) c = lockd::client::Client::connect(o);
                fence_expired(*c);
            } catch (const std::exception&) {
                c.reset();  // the server is down or paused: try again
            }
            std::this_thread::sleep_for(milliseconds(100));
        }
        return 0;
    } catch (const std::exception& e) {
        std::cerr << "safety_fencer: " << e.what() << "\n";
        return 1;
    }
}
