// Reduced from aleksigron/kokko engine/src/Engine/JobWorker.cpp (ThreadMain,
// RequestExit) and JobSystem.cpp (Deinitialize).
// Fix: aleksigron/kokko d00b0e3672936045033515d551f09aec563d7304
// "Try fix job system hang" (2025-08-14); an earlier partial fix
// 888c45211730016ee825c0eacb31ff6a36c1f175 "Fix hang at job system deinit"
// (2025-07-10) moved the notify under the mutex, which is not enough.
// Shape 2 (lost wakeup, waiter side): the worker reads the atomic exit flag
// outside the mutex, then locks and waits with no predicate. An exit request
// + notify between the read and the wait is lost; WaitToExit() joins forever.
// Spawn path: class JobWorker::StartThread() -> std::thread(&JobWorker::ThreadMain).
#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>

struct JobSys {
    std::mutex condition_mutex;
    std::condition_variable job_added;
    bool try_run_one() { return false; }
};

class JobWorker {
public:
    explicit JobWorker(JobSys *s) : sys(s) {}
    void StartThread() { if (!thread.joinable()) thread = std::thread(&JobWorker::ThreadMain, this); } // want: lost-wakeup
    void RequestExit() { exit_requested.store(true); }
    void WaitToExit() { if (thread.joinable()) thread.join(); }
private:
    void ThreadMain() {
        bool exit = false;
        while (!exit) {
            while (sys->try_run_one()) {}
            exit = exit_requested.load();       // read outside the mutex
            if (exit) break;
            std::unique_lock<std::mutex> lock(sys->condition_mutex);
            sys->job_added.wait(lock);           // BUG: no predicate
            exit = exit_requested.load();
        }
    }
    JobSys *sys;
    std::atomic<bool> exit_requested{false};
    std::thread thread;
};

void deinit(JobSys &sys, JobWorker *workers, int n) {
    for (int i = 0; i < n; ++i) workers[i].RequestExit();
    {
        std::lock_guard<std::mutex> g(sys.condition_mutex);
        sys.job_added.notify_all();
    }
    for (int i = 0; i < n; ++i) workers[i].WaitToExit();
}
