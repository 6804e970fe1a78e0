// Fixed twin of pistache_timerfd_never_closed.cpp (pistache endpoint.cc
// TransportImpl).
// Fix: pistacheio/pistache 337af2c0ae484d826bbe3e049c88ef46c38cd22f
// "fix(server): file descriptor leaks for eventfd and timerfd_create" (2023-08-04).
// The fix adds a destructor that closes the timerfd.
#include <memory>
#include <sys/timerfd.h>
#include <unistd.h>
#include <vector>

class Transport {
public:
    Transport() : timerFd(-1) {}
    ~Transport() { if (timerFd >= 0) { close(timerFd); timerFd = -1; } }
    Transport(const Transport &) = delete;
    void registerPoller() {
        timerFd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK);
        itimerspec spec{};
        spec.it_interval.tv_sec = 1;
        spec.it_value.tv_sec = 1;
        timerfd_settime(timerFd, 0, &spec, nullptr);
    }
private:
    int timerFd;
};

void serve_once(int nworkers) {             // called for every Endpoint
    std::vector<std::unique_ptr<Transport>> transports;
    for (int i = 0; i < nworkers; ++i) {
        transports.emplace_back(new Transport());
        transports.back()->registerPoller();
    }
}
