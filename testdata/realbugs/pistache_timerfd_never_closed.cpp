// Reduced from pistacheio/pistache src/server/endpoint.cc (TransportImpl::
// registerPoller, TransportImpl ctor/dtor) and src/common/os.cc (NotifyFd).
// Fix: pistacheio/pistache 337af2c0ae484d826bbe3e049c88ef46c38cd22f
// "fix(server): file descriptor leaks for eventfd and timerfd_create" (2023-08-04).
// Shape 8 (timer per invocation never released): every transport (one per
// worker of every Endpoint served) creates a timerfd in registerPoller() and
// nothing ever closes it; each Endpoint created and destroyed leaks one
// timerfd per worker thread.
#include <memory>
#include <sys/timerfd.h>
#include <unistd.h>
#include <vector>

class Transport {
public:
    Transport() : timerFd(-1) {}
    void registerPoller() {
        timerFd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK);   // BUG: never closed // want: timer-per-iteration
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
