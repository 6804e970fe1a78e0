// A runner kept alive: the pool's threads run io_context::run() while a
// member executor_work_guard keeps it from returning; the destructor joins
// them without io_context::stop() or resetting the guard.
#include <asio/executor_work_guard.hpp>
#include <asio/io_context.hpp>
#include <thread>
#include <vector>

class IoPool {
public:
  IoPool() : guard_(asio::make_work_guard(io_)) {
    using run_fn = asio::io_context::count_type (asio::io_context::*)();
    t_ = std::thread(static_cast<run_fn>(&asio::io_context::run), &io_); // want: stop-cannot-wake "a work guard keeps"
  }
  ~IoPool() { t_.join(); }
  asio::io_context &context() { return io_; }

private:
  asio::io_context io_;
  asio::executor_work_guard<asio::io_context::executor_type> guard_;
  std::thread t_;
};

IoPool *make_io_pool() { return new IoPool; }
