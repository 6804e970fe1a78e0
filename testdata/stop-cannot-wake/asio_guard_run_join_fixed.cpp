// Twin of asio_guard_run_join.cpp: the destructor releases the guard and
// stops the io_context before joining.
#include <asio/executor_work_guard.hpp>
#include <asio/io_context.hpp>
#include <thread>
#include <vector>

class FixedIoPool {
public:
  FixedIoPool() : guard_(asio::make_work_guard(io_)) {
    using run_fn = asio::io_context::count_type (asio::io_context::*)();
    t_ = std::thread(static_cast<run_fn>(&asio::io_context::run), &io_);
  }
  ~FixedIoPool() {
    guard_.reset();
    io_.stop();
    t_.join();
  }
  asio::io_context &context() { return io_; }

private:
  asio::io_context io_;
  asio::executor_work_guard<asio::io_context::executor_type> guard_;
  std::thread t_;
};

FixedIoPool *make_fixed_io_pool() { return new FixedIoPool; }
