// Fixed twin of lucene_io_context_work_guard.cpp (LucenePlusPlus ThreadPool.cpp,
// ThreadPool.h).
// Fix: luceneplusplus/LucenePlusPlus 9239c01967df534afaf18a78b34774dcc2dcaf76
// "Stop io_context before joining threads in ThreadPool destructor" (2026-04-25).
// The fix calls io_context.stop() before join_all(), so every run() returns.
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
            group.create_thread(boost::bind(&ctx_t::run, &io_context));
    }
    ~Pool() {
        io_context.stop();
        group.join_all();
    }
    template <class F> void schedule(F f) { boost::asio::post(io_context, f); }
};
