// Shape 7 (Asio): the service thread re-runs the io_context while running_;
// the work guard keeps run() from returning, and shutdown() clears the flag
// and joins without io_context::stop() or resetting the guard.
#include <asio/executor_work_guard.hpp>
#include <asio/io_context.hpp>
#include <atomic>
#include <thread>

class Service {
public:
  Service() : guard_(asio::make_work_guard(io_)) {}
  void start() {
    running_ = true;
    t_ = std::thread([this] { // want: stop-cannot-wake "blocked in io_context::run"
      while (running_) {
        io_.restart();
        io_.run();
      }
    });
  }
  void shutdown() {
    running_ = false;
    t_.join();
  }

private:
  asio::io_context io_;
  asio::executor_work_guard<asio::io_context::executor_type> guard_;
  std::atomic<bool> running_{false};
  std::thread t_;
};

void use_service() {
  Service s;
  s.start();
  s.shutdown();
}
