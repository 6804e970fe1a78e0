// Reduced from transmission libtransmission/web.cc (tr_web::Impl curl thread,
// startShutdown, ~Impl).
// Fix: transmission/transmission df7dd75972495a0dbddf9460f8918de3bec87651
// "fix: lost wakeup that could hang tr_web shutdown" (2026-07-17).
// Shape 3 (predicate ignores the stop) + 2: the worker's wait predicate is
// `!idle() || !deadline_set()`, so once shutdown has set the deadline the
// predicate is false and the worker keeps sleeping; the exit test runs only
// before the lock. The deadline is also stored without the mutex.
#include <atomic>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <thread>

class Web {
public:
    Web() { worker = std::make_unique<std::thread>(&Web::run, this); } // want: lost-wakeup
    ~Web() {
        deadline_ns = 1;                  // BUG: stored outside tasks_mutex
        cv.notify_one();
        worker->join();                     // hangs
    }
    void fetch(int job) {
        if (deadline_set()) return;
        std::unique_lock<std::mutex> lk(tasks_mutex);
        queued.push_back(job);
        cv.notify_one();
    }
private:
    bool deadline_set() const { return deadline_ns != 0; }
    bool idle() const { return queued.empty() && running == 0; }
    void run() {
        for (;;) {
            if (deadline_set() && idle())
                break;
            std::unique_lock<std::mutex> lk(tasks_mutex);
            auto stop_waiting = [this] { return !idle() || !deadline_set(); }; // BUG
            cv.wait(lk, stop_waiting);
            while (!queued.empty()) { queued.pop_front(); }
        }
    }
    std::atomic<long> deadline_ns{0};
    int running = 0;
    std::deque<int> queued;
    std::mutex tasks_mutex;
    std::condition_variable cv;
    std::unique_ptr<std::thread> worker;
};
