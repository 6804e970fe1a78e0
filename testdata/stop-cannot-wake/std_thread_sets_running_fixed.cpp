// Twin of std_thread_sets_running.cpp: start() stores running_ = true
// before it starts the worker, which only tests it.
#include <atomic>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>

class PollerFx {
public:
    void start() {
        running_.store(true);
        th_ = std::thread([this] {
            std::unique_lock<std::mutex> lk(mu_);
            while (running_) {
                cv_.wait(lk, [this] { return !q_.empty() || !running_; });
                if (!q_.empty()) q_.pop_front();
            }
        });
    }
    void stop() {
        {
            std::lock_guard<std::mutex> g(mu_);
            running_.store(false);
        }
        cv_.notify_all();
        th_.join();
    }
private:
    std::atomic<bool> running_{false};
    std::deque<int> q_;
    std::mutex mu_;
    std::condition_variable cv_;
    std::thread th_;
};
