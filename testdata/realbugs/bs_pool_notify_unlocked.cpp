// Reduced from bshoshany/thread-pool BS_thread_pool.hpp (worker / destroy_threads).
// Fix: bshoshany/thread-pool 704ae8049c4de8d7193c8ae108af03fa8da64b89
// "Fix pool shutdown deadlock" (2023-05-11, PR #108).
// Shape 2 (lost wakeup): `running` is a std::atomic<bool>; destroy_threads()
// stores false and calls notify_all() with no lock on tasks_mutex, so the
// store+notify can land between the predicate check inside
// cv.wait(lock, pred) and the block. Atomicity does not close the window.
#include <atomic>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <queue>
#include <thread>

class BsPool {
public:
    explicit BsPool(unsigned n) : count(n), threads(new std::thread[n]) {
        running = true;
        for (unsigned i = 0; i < n; ++i)
            threads[i] = std::thread(&BsPool::worker, this); // want: lost-wakeup
    }
    ~BsPool() { destroy_threads(); }
    void push(std::function<void()> f) {
        { std::scoped_lock l(tasks_mutex); tasks.push(std::move(f)); }
        task_available_cv.notify_one();
    }
private:
    void destroy_threads() {
        running = false;                       // atomic store, no lock
        task_available_cv.notify_all();        // BUG: outside tasks_mutex
        for (unsigned i = 0; i < count; ++i) threads[i].join();
    }
    void worker() {
        while (running) {
            std::function<void()> task;
            std::unique_lock<std::mutex> lk(tasks_mutex);
            task_available_cv.wait(lk, [this] { return !tasks.empty() || !running; });
            if (!running) break;
            task = std::move(tasks.front());
            tasks.pop();
            lk.unlock();
            task();
        }
    }
    unsigned count;
    std::unique_ptr<std::thread[]> threads;
    std::atomic<bool> running{false};
    std::condition_variable task_available_cv;
    std::mutex tasks_mutex;
    std::queue<std::function<void()>> tasks;
};
