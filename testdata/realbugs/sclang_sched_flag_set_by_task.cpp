// Reduced from supercollider/supercollider lang/LangPrimSource/PyrSched.cpp
// (schedRun, schedRunFunc, schedStop).
// Fix: supercollider/supercollider 314e8c478bcb14af7279e0b639422bc9d8dfa968
// "Fix race condition in scheduler" (2021-02-15, PR #5357 merged 18c4aad3).
// Shape 4 (the stop can come first): the scheduler thread itself sets
// gRunSched = true after it first takes gLangMutex. If schedStop() runs
// before that (a script that exits at once), it sees gRunSched false, skips
// notify and join, and the thread then overwrites the stop with true and parks
// in gSchedCond.wait() for good; sclang hangs at exit.
// Spawn path: SC_Thread (alias of std::thread) moved into a global.
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
    gRunSched = true;                        // BUG: overwrites an earlier stop
    for (;;) {
        while (queue_empty()) {
            gSchedCond.wait(lock);
            if (!gRunSched) return;
        }
        /* run the due item */
    }
}

void schedRun() {                            // called with gLangMutex held
    gSchedThread = std::thread(schedRunFunc); // want: stop-cannot-wake "overwritten"
}

void schedStop() {                           // called with gLangMutex held
    if (gRunSched) {
        gRunSched = false;
        gSchedCond.notify_all();
        gLangMutex.unlock();
        gSchedThread.join();
        gLangMutex.lock();
    }
}
