// Reduced from brazilofmux/tinymux mux/proxy/work_queue.h (WorkQueue::enqueue,
// processPending) and hydra_main.cpp (shutdown order).
// Fix: brazilofmux/tinymux c24f8adf2a6bcac5c2c5804324d9eb12785af16b
// "fix(hydra): give WorkQueue a cancellation path so shutdown cannot hang
// (#1286)" (2026-07-25).
// Shape 3 (predicate ignores the stop; bounded-queue producer): RPC threads
// block in enqueue() until there is room; only the consumer's drain notifies
// cv_space. After the main loop's final drain nobody drains again, so a parked
// producer never wakes and the server shutdown that waits for it hangs.
// Producers here are std::threads standing in for the gRPC server's threads.
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
        cv_space_.wait(lock, [this] { return queue_.size() < kMax; });   // BUG
        queue_.push(std::move(item));
    }
    void process_pending() {
        std::queue<std::function<void()>> batch;
        { std::lock_guard<std::mutex> g(mutex_); batch.swap(queue_); }
        cv_space_.notify_all();
        while (!batch.empty()) { batch.front()(); batch.pop(); }
    }
private:
    std::mutex mutex_;
    std::condition_variable cv_space_;
    std::queue<std::function<void()>> queue_;
};

void serve(WorkQueue &q, int nproducers) {
    std::vector<std::thread> rpc;
    for (int i = 0; i < nproducers; ++i)
        rpc.emplace_back([&q] { q.enqueue([] {}); });   // one RPC = one enqueue
    q.process_pending();        // final drain of the main loop
    for (auto &t : rpc) t.join();   // "Shutdown waits for in-flight RPCs"
}
