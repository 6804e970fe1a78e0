// Twin of cxx_accessor_atomic_state.cpp: the destructor stores the state
// under the worker's mutex (the notify may come after the lock is released),
// so the store cannot fall between the worker's predicate and its wait.
#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

class UploaderFx {
public:
    UploaderFx() { th_ = std::thread(&UploaderFx::loop, this); }
    ~UploaderFx() {
        {
            std::lock_guard<std::mutex> g(mu_);
            state_.store(2);
        }
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
