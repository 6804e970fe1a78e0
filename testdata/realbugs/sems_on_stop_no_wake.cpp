// Reduced from sems-server/sems core/AmSessionProcessor.cpp
// (AmSessionProcessorThread::run / on_stop) and core/AmThread.cpp, AmThread.h
// (AmThread::start/stop, AmCondition<bool>).
// Fix: sems-server/sems 9f7928cd73a8f73d7c9e3edc9749a860836485d4
// "AmSessionProcessor: wake runcond from on_stop() so run() can exit"
// (2026-04-26).
// Shape 1 (stop flag, no waker): run() loops on !stop_requested and parks in
// runcond.wait_for() (no timeout) at the top of each iteration; the only waker
// is startSession(). on_stop() sets stop_requested and nothing else, so a
// parked thread never sees it. Spawn path: in-house thread class (AmThread:
// start() -> pthread_create -> virtual run(); stop() -> virtual on_stop()).
#include <pthread.h>

template <class T> class Cond {            // stands in for AmCondition<T>
    T val{};
    pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
    pthread_cond_t c = PTHREAD_COND_INITIALIZER;
public:
    void set(T v) { pthread_mutex_lock(&m); val = v; if (v) pthread_cond_broadcast(&c); pthread_mutex_unlock(&m); }
    T get() { pthread_mutex_lock(&m); T v = val; pthread_mutex_unlock(&m); return v; }
    void wait_for() { pthread_mutex_lock(&m); while (!val) pthread_cond_wait(&c, &m); pthread_mutex_unlock(&m); }
};

class Thread {                              // stands in for AmThread
    pthread_t tid{};
    static void *entry(void *p) { static_cast<Thread *>(p)->run(); return nullptr; }
public:
    virtual ~Thread() {}
    void start() { pthread_create(&tid, nullptr, &Thread::entry, this); } // want: stop-cannot-wake "of runcond"
    void stop() { on_stop(); }
    void join() { pthread_join(tid, nullptr); }
protected:
    virtual void run() = 0;
    virtual void on_stop() = 0;
};

class SessionProcessor : public Thread {
    Cond<bool> runcond;
    Cond<bool> stop_requested;
    void process_batch() {}
protected:
    void run() override {
        while (!stop_requested.get()) {
            runcond.wait_for();
            runcond.set(false);
            process_batch();
        }
    }
    void on_stop() override {
        stop_requested.set(true);           // BUG: runcond is never set
    }
public:
    void start_session() { runcond.set(true); }
};

void shutdown(SessionProcessor &p) { p.stop(); p.join(); }
