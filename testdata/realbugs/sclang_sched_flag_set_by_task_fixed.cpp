// Fixed twin of sclang_sched_flag_set_by_task.cpp.
// Fix: supercollider/supercollider 314e8c478bcb14af7279e0b639422bc9d8dfa968
// "Fix race condition in scheduler" (2021-02-15): the spawner sets gRunSched
// (under gLangMutex) before starting the thread, and the thread checks it right
// after first taking the mutex, so a stop that comes first is seen.
#include <condition_variable>
#include <mutex>
#include <thread>

static std::timed_mutex gLangMutex;
static std::condition_variable_any gSchedCond;
static bool gRunSched = false;
static std::thread gSchedThread;
static bool queue_empty() { return true; }

static void schedRunFunc() {
    std::unique_lock<std::timed_mutex> lock(gLangMutex);
    if (!gRunSched) return;
    for (;;) {
        while (queue_empty()) {
            gSchedCond.wait(lock);
            if (!gRunSched) return;
        }
    }
}

void schedRun() {
    gRunSched = true;
    gSchedThread = std::thread(schedRunFunc);
}

void schedStop() {
    if (gRunSched) {
        gRunSched = false;
        gSchedCond.notify_all();
        gLangMutex.unlock();
        gSchedThread.join();
        gLangMutex.lock();
    }
}
