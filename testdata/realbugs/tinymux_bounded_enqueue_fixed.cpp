// Fixed twin of tinymux_bounded_enqueue.cpp.
// Fix: brazilofmux/tinymux c24f8adf2a6bcac5c2c5804324d9eb12785af16b
// "fix(hydra): give WorkQueue a cancellation path so shutdown cannot hang
// (#1286)" (2026-07-25): stop() sets stopped_ under the mutex and notifies;
// the wait predicate includes stopped_; main calls stop() after the final drain.
#include <condition_variable>
#include <functional>
#include <mutex>
#include <queue>
#include <thread>
#include <vector>

class WorkQueue {
public:
    static constexpr size_t kMax = 1024;
    void enqueue(std::function<void()> item) {
        std::unique_lock<std::mutex> lock(mutex_);
        cv_space_.wait(lock, [this] { return queue_.size() < kMax || stopped_; });
        queue_.push(std::move(item));   // past the cap only while stopping
    }
    void process_pending() {
        std::queue<std::function<void()>> batch;
        { std::lock_guard<std::mutex> g(mutex_); batch.swap(queue_); }
        cv_space_.notify_all();
        while (!batch.empty()) { batch.front()(); batch.pop(); }
    }
    void stop() {
        { std::lock_guard<std::mutex> g(mutex_); stopped_ = true; }
        cv_space_.notify_all();
    }
private:
    std::mutex mutex_;
    std::condition_variable cv_space_;
    std::queue<std::function<void()>> queue_;
    bool stopped_ = false;
};

void serve(WorkQueue &q, int nproducers) {
    std::vector<std::thread> rpc;
    for (int i = 0; i < nproducers; ++i)
        rpc.emplace_back([&q] { q.enqueue([] {}); });
    q.process_pending();
    q.stop();
    for (auto &t : rpc) t.join();
}
