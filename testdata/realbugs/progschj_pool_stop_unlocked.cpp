// Reduced from progschj/ThreadPool ThreadPool.h (worker lambda + ~ThreadPool).
// Fix: progschj/ThreadPool e398e2d7ed94a4869913fae8284b8751b250dbc4
// "fixed potential deadlock" (2013-04-14).
// Shape 2 (lost wakeup): the destructor stores the plain bool `stop` and calls
// notify_all() without holding queue_mutex; a worker that has just evaluated
// `!stop && tasks.empty()` under the mutex but not yet blocked misses the
// notification and join() hangs. Code written for leaklint, not copied.
#include <condition_variable>
#include <functional>
#include <mutex>
#include <queue>
#include <thread>
#include <vector>

class Pool {
public:
    explicit Pool(size_t n) : stop(false) {
        for (size_t i = 0; i < n; ++i)
            workers.emplace_back([this] { // want: lost-wakeup
                for (;;) {
                    std::unique_lock<std::mutex> lock(mu);
                    while (!stop && jobs.empty())
                        cv.wait(lock);
                    if (stop && jobs.empty())
                        return;
                    std::function<void()> job = std::move(jobs.front());
                    jobs.pop();
                    lock.unlock();
                    job();
                }
            });
    }
    void post(std::function<void()> f) {
        { std::lock_guard<std::mutex> g(mu); jobs.push(std::move(f)); }
        cv.notify_one();
    }
    ~Pool() {
        stop = true;                 // BUG: written outside mu
        cv.notify_all();
        for (auto &w : workers) w.join();
    }
private:
    std::vector<std::thread> workers;
    std::queue<std::function<void()>> jobs;
    std::mutex mu;
    std::condition_variable cv;
    bool stop;
};
