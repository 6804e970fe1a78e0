// Fixed twin of kokko_exit_checked_outside_lock.cpp.
// Fix: aleksigron/kokko d00b0e3672936045033515d551f09aec563d7304
// "Try fix job system hang" (2025-08-14): the wait gets a predicate that
// re-reads the exit flag (and the work queues) under the mutex.
#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>

struct JobSys {
    std::mutex condition_mutex;
    std::condition_variable job_added;
    bool try_run_one() { return false; }
    bool has_work() const { return false; }
};

class JobWorker {
public:
    explicit JobWorker(JobSys *s) : sys(s) {}
    void StartThread() { if (!thread.joinable()) thread = std::thread(&JobWorker::ThreadMain, this); }
    void RequestExit() { exit_requested.store(true); }
    void WaitToExit() { if (thread.joinable()) thread.join(); }
private:
    void ThreadMain() {
        bool exit = false;
        while (!exit) {
            while (sys->try_run_one()) {}
            exit = exit_requested.load();
            if (exit) break;
            std::unique_lock<std::mutex> lock(sys->condition_mutex);
            sys->job_added.wait(lock, [&] { return exit_requested.load() || sys->has_work(); });
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
