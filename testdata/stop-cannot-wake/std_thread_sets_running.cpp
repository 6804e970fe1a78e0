// The task overwrites its own stop, C++: the worker lambda stores
// running_ = true when it starts; stop() stores false, notifies and joins,
// and when it runs before the worker's first store, the worker runs on and
// the join hangs (the shape of RB25 in docs/real-bugs.md).
#include <atomic>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>

class Poller {
public:
    void start() {
        th_ = std::thread([this] { // want: stop-cannot-wake "overwritten"
            running_.store(true);
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
