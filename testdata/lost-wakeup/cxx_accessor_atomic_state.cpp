// Shape 2 (writer side) through an accessor: the wait's predicate, kept in a
// variable, reads the stop through closing(), which compares an atomic state;
// the destructor stores the state and notifies without the mutex the worker
// holds between its predicate and its wait (the shape of transmission's
// tr_web shutdown, RB05 in docs/real-bugs.md).
#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

class Uploader {
public:
    Uploader() { th_ = std::thread(&Uploader::loop, this); } // want: lost-wakeup
    ~Uploader() {
        state_.store(2);
        cv_.notify_all();
        th_.join();
    }
    void add(int job) {
        std::lock_guard<std::mutex> g(mu_);
        jobs_.push_back(job);
        cv_.notify_one();
    }
private:
    bool closing() const { return state_ == 2; }
    bool has_work() const { return !jobs_.empty(); }
    void loop() {
        std::unique_lock<std::mutex> lk(mu_);
        for (;;) {
            auto ready = [this] { return has_work() || closing(); };
            cv_.wait(lk, ready);
            if (closing())
                return;
            jobs_.pop_back();
        }
    }
    std::atomic<int> state_{0};
    std::vector<int> jobs_;
    std::mutex mu_;
    std::condition_variable cv_;
    std::thread th_;
};
