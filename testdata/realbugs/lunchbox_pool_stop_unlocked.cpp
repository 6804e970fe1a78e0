// Reduced from Eyescale/Lunchbox lunchbox/threadPool.ipp (work / ~ThreadPool).
// Fix: Eyescale/Lunchbox ed62bd6ca403c68c662e0c6ef7660e40e08a3ef0
// "Fix race condition when the threads are starting while the thread pool is
// beeing destroyed (#296)" (2017-01-16).
// Shape 2 (lost wakeup): the destructor writes the plain bool _stop and
// notifies outside _tasksMutex. A worker thread that is still starting up
// checks the predicate, then parks after the notification; joinAll() hangs.
// The pool is a class that owns std::threads created in its constructor.
#include <condition_variable>
#include <functional>
#include <mutex>
#include <queue>
#include <thread>
#include <vector>

class LbPool {
public:
    explicit LbPool(size_t n) : _stop(false) {
        for (size_t i = 0; i < n; ++i)
            _threads.emplace_back([this] { work(); }); // want: lost-wakeup
    }
    ~LbPool() {
        _stop = true;                    // BUG: outside _tasksMutex
        _waitCondition.notify_all();
        joinAll();
    }
    void postDetached(std::function<void()> f) {
        { std::unique_lock<std::mutex> l(_tasksMutex); _tasks.emplace(std::move(f)); }
        _waitCondition.notify_one();
    }
private:
    void joinAll() { for (auto &t : _threads) t.join(); }
    void work() {
        for (;;) {
            std::function<void()> task;
            {
                std::unique_lock<std::mutex> l(_tasksMutex);
                _waitCondition.wait(l, [this] { return _stop || !_tasks.empty(); });
                if (_stop) return;
                task = std::move(_tasks.front());
                _tasks.pop();
            }
            task();
        }
    }
    std::vector<std::thread> _threads;
    std::queue<std::function<void()>> _tasks;
    std::mutex _tasksMutex;
    std::condition_variable _waitCondition;
    bool _stop;
};
