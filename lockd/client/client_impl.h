// The client's insides, shared by client.cpp (the calls) and client_reconnect.cpp (the reader
// thread: frames in, and reconnecting, re-opening and reclaiming after a drop).
#pragma once

#include "client.h"
#include "client_socket.h"

#include <condition_variable>
#include <future>
#include <map>
#include <mutex>
#include <thread>

namespace takeover::lockd::client {

struct Client::Impl {
    Options options;
    Socket socket;
    proto::Decoder decoder{proto::kHardMaxBody};
    std::mutex write_mutex;   // one frame at a time on the socket
    uint64_t generation = 0;  // under write_mutex: which socket; moves on with each reconnect
    std::mutex mutex;         // guards everything below
    struct Pending {
        std::promise<proto::Message> reply;
        // LOCK / CONVERT: sent again after a reconnect (the server answers them later).
        std::optional<proto::Message> resend;
        proto::Type type{};
    };
    std::map<uint32_t, Pending> pending;
    uint32_t next_request = 1;
    bool open = true;           // false once the connection is gone for good
    bool reconnecting = false;  // calls wait while the reader thread reconnects
    bool closing = false;       // the destructor runs: no more reconnects
    std::condition_variable state_changed;
    // The session, as the reader thread needs it to re-open it.
    std::optional<uint64_t> session;
    std::string node;
    milliseconds lease{0};
    std::map<std::string, Grant> held;  // what we believe we hold, as granted
    std::function<void(const std::string&, Mode)> blocking;
    std::function<void(const std::string&)> shutdown;
    std::function<void(const std::string&)> session_lost;
    std::function<void(uint64_t, const std::vector<std::string>&)> reconnected;
    std::thread reader;
    std::thread keepalive;
    std::condition_variable stop_keepalive;
    bool keepalive_running = false;

    void send(const proto::Message& m, uint32_t id) {
        std::lock_guard lock(write_mutex);
        socket.write_all(proto::encode(m, id));
    }
    // Sends only on the socket the request was registered for: after a reconnect the reader
    // thread has sent it again itself.
    void send_on(uint64_t gen, const proto::Message& m, uint32_t id) {
        std::lock_guard lock(write_mutex);
        if (gen == generation) socket.write_all(proto::encode(m, id));
    }
    uint32_t take_request_id() {  // under mutex
        uint32_t id = next_request++;
        if (id == 0) id = next_request++;  // 0 is for notices
        return id;
    }

    void read_loop();
    void dispatch(proto::Frame);
    // After a drop: true when the session is back (or there was none to keep).
    bool recover();
    void give_up(proto::ErrorCode, const std::string& why);
    void keepalive_loop(milliseconds every);
    void stop_keepalive_thread();
};

// Connects and authenticates both ways; the socket and decoder are ready for requests.
void handshake(const Options&, Socket&, proto::Decoder&);

}  // namespace takeover::lockd::client
