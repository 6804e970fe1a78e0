// Shape 1 through a wrapper class: the worker parks in wake_.wait(), and the
// stop path sets quit_, another object of the same Event class, whose set()
// notifies quit_'s own condition variable, not wake_'s; the join hangs (the
// shape of sems' AmCondition in RB20, docs/real-bugs.md).
#include <condition_variable>
#include <mutex>
#include <thread>

class Event {
public:
    void set() {
        std::lock_guard<std::mutex> g(m_);
        on_ = true;
        cv_.notify_all();
    }
    void clear() {
        std::lock_guard<std::mutex> g(m_);
        on_ = false;
    }
    bool is_set() {
        std::lock_guard<std::mutex> g(m_);
        return on_;
    }
    void wait() {
        std::unique_lock<std::mutex> lk(m_);
        while (!on_)
            cv_.wait(lk);
    }
private:
    std::mutex m_;
    std::condition_variable cv_;
    bool on_ = false;
};

class Flusher {
public:
    void start() { th_ = std::thread(&Flusher::run, this); } // want: stop-cannot-wake "of wake_"
    void kick() { wake_.set(); }
    void stop() {
        quit_.set();
        th_.join();
    }
private:
    void run() {
        while (!quit_.is_set()) {
            wake_.wait();
            wake_.clear();
            flush();
        }
    }
    void flush() {}
    Event wake_;
    Event quit_;
    std::thread th_;
};
