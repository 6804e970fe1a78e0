// Reduced from luceneplusplus/LucenePlusPlus src/core/util/ThreadPool.cpp and
// include/lucene++/ThreadPool.h.
// Fix: luceneplusplus/LucenePlusPlus 9239c01967df534afaf18a78b34774dcc2dcaf76
// "Stop io_context before joining threads in ThreadPool destructor" (2026-04-25).
// Shape 7: five threads run io_context::run() while the pool holds an
// executor_work_guard, so run() never returns on its own; the destructor joins
// the thread group without stop() or work.reset(). Spawn path: Boost
// thread_group::create_thread(bind(&io_context::run, &ctx)).
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/bind/bind.hpp>
#include <boost/thread/thread.hpp>

class Pool {
    typedef boost::asio::io_context ctx_t;
    typedef boost::asio::executor_work_guard<ctx_t::executor_type> work_t;
    ctx_t io_context;
    work_t work;
    boost::thread_group group;
public:
    Pool() : work(boost::asio::make_work_guard(io_context)) {
        for (int i = 0; i < 5; ++i)
            group.create_thread(boost::bind(&ctx_t::run, &io_context)); // want: stop-cannot-wake
    }
    ~Pool() {
        group.join_all();                 // BUG: run() cannot return: guard alive
    }
    template <class F> void schedule(F f) { boost::asio::post(io_context, f); }
};
