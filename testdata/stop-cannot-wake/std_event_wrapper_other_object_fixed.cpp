// Twin of std_event_wrapper_other_object.cpp: stop() sets quit_ and then
// wake_ too, so the parked worker wakes, sees quit_ and returns.
#include <condition_variable>
#include <mutex>
#include <thread>

class EventFx {
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

class FlusherFx {
public:
    void start() { th_ = std::thread(&FlusherFx::run, this); }
    void kick() { wake_.set(); }
    void stop() {
        quit_.set();
        wake_.set();
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
    EventFx wake_;
    EventFx quit_;
    std::thread th_;
};
