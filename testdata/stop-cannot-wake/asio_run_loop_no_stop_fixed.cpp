// Twin of asio_run_loop_no_stop.cpp: shutdown() resets the work guard and
// stops the io_context before joining, so run() returns.
#include <asio/executor_work_guard.hpp>
#include <asio/io_context.hpp>
#include <atomic>
#include <thread>

class FixedService {
public:
  FixedService() : guard_(asio::make_work_guard(io_)) {}
  void start() {
    running_ = true;
    t_ = std::thread([this] {
      while (running_) {
        io_.restart();
        io_.run();
      }
    });
  }
  void shutdown() {
    running_ = false;
    guard_.reset();
    io_.stop();
    t_.join();
  }

private:
  asio::io_context io_;
  asio::executor_work_guard<asio::io_context::executor_type> guard_;
  std::atomic<bool> running_{false};
  std::thread t_;
};

void use_fixed_service() {
  FixedService s;
  s.start();
  s.shutdown();
}
