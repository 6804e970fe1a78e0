// Fixed twin of later_cond_destroyed_under_waiter.cpp.
// Fix: r-lib/later b5834335f7ecd12e7063394a79a48dc94889c0f0
// "Fix hang on install under Fedora 25+" (2017-09-18): keep the thread
// joinable, set `stopped` under the mutex and signal, join, then destroy.
#include <pthread.h>
#include <time.h>

class Timer {
    pthread_mutex_t mutex;
    pthread_cond_t cond;
    pthread_t bgthread;
    bool armed = false;
    bool stopped = false;
    static void *bg_main_func(void *p) { static_cast<Timer *>(p)->bg_main(); return nullptr; }
    void bg_main() {
        pthread_mutex_lock(&mutex);
        for (;;) {
            if (!armed) {
                pthread_cond_wait(&cond, &mutex);
                if (stopped) break;
                continue;
            }
            timespec ts;
            clock_gettime(CLOCK_REALTIME, &ts);
            ts.tv_sec += 1;
            pthread_cond_timedwait(&cond, &mutex, &ts);
            if (stopped) break;
            armed = false;
        }
        pthread_mutex_unlock(&mutex);
    }
public:
    Timer() {
        pthread_mutex_init(&mutex, nullptr);
        pthread_cond_init(&cond, nullptr);
        pthread_create(&bgthread, nullptr, &bg_main_func, this);
    }
    ~Timer() {
        pthread_mutex_lock(&mutex);
        stopped = true;
        pthread_cond_signal(&cond);
        pthread_mutex_unlock(&mutex);
        pthread_join(bgthread, nullptr);
        pthread_cond_destroy(&cond);
        pthread_mutex_destroy(&mutex);
    }
    void set() {
        pthread_mutex_lock(&mutex);
        armed = true;
        pthread_cond_signal(&cond);
        pthread_mutex_unlock(&mutex);
    }
};

static Timer the_timer;
void schedule() { the_timer.set(); }
