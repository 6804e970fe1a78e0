// Reduced from r-lib/later src/timer_posix.cpp (Timer::bg_main, Timer::Timer,
// Timer::~Timer).
// Fix: r-lib/later b5834335f7ecd12e7063394a79a48dc94889c0f0
// "Fix hang on install under Fedora 25+" (2017-09-18).
// Shape 5 (primitive destroyed under a parked task): the timer thread is
// detached and loops forever in pthread_cond_wait/timedwait; the destructor
// (run from a static object at exit) calls pthread_cond_destroy while that
// thread is parked on the condvar. glibc >= 2.25 blocks in cond_destroy.
#include <pthread.h>
#include <time.h>

class Timer {
    pthread_mutex_t mutex;
    pthread_cond_t cond;
    bool armed = false;
    static void *bg_main_func(void *p) { static_cast<Timer *>(p)->bg_main(); return nullptr; }
    void bg_main() {
        pthread_mutex_lock(&mutex);
        for (;;) {
            if (!armed) {
                pthread_cond_wait(&cond, &mutex);
                continue;
            }
            timespec ts;
            clock_gettime(CLOCK_REALTIME, &ts);
            ts.tv_sec += 1;
            pthread_cond_timedwait(&cond, &mutex, &ts);
            armed = false;
        }
    }
public:
    Timer() {
        pthread_mutex_init(&mutex, nullptr);
        pthread_cond_init(&cond, nullptr);
        pthread_t t;
        pthread_create(&t, nullptr, &bg_main_func, this); // want: wait-without-cancel
        pthread_detach(t);
    }
    ~Timer() {
        pthread_cond_destroy(&cond);          // BUG: bg thread still waits on it
        pthread_mutex_destroy(&mutex);
    }
    void set() {
        pthread_mutex_lock(&mutex);
        armed = true;
        pthread_cond_signal(&cond);
        pthread_mutex_unlock(&mutex);
    }
};

static Timer the_timer;                        // destroyed by exit()
void schedule() { the_timer.set(); }
