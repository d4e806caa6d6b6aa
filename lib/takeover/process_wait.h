#pragma once

#include <thread>

namespace takeover::process {

template <typename Predicate>
bool wait_until(Predicate done, milliseconds timeout, milliseconds step) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
        if (done()) return true;
        if (std::chrono::steady_clock::now() >= deadline) return false;
        std::this_thread::sleep_for(step);
    }
}

}  // namespace takeover::process
