// Fixed twin of transmission_web_wait_predicate.cpp.
// Fix: transmission/transmission df7dd75972495a0dbddf9460f8918de3bec87651
// "fix: lost wakeup that could hang tr_web shutdown" (2026-07-17): set the
// deadline under the mutex, make a pending shutdown end the wait, and test the
// exit condition under the mutex after the wait.
#include <atomic>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <thread>

class Web {
public:
    Web() { worker = std::make_unique<std::thread>(&Web::run, this); }
    ~Web() {
        {
            std::unique_lock<std::mutex> lk(tasks_mutex);
            deadline_ns = 1;
        }
        cv.notify_one();
        worker->join();
    }
    void fetch(int job) {
        std::unique_lock<std::mutex> lk(tasks_mutex);
        if (deadline_set()) return;
        queued.push_back(job);
        cv.notify_one();
    }
private:
    bool deadline_set() const { return deadline_ns != 0; }
    bool idle() const { return queued.empty() && running == 0; }
    void run() {
        for (;;) {
            std::unique_lock<std::mutex> lk(tasks_mutex);
            auto stop_waiting = [this] { return !idle() || deadline_set(); };
            cv.wait(lk, stop_waiting);
            if (deadline_set() && idle())
                break;
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
