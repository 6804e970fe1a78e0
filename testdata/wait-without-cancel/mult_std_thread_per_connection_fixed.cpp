// The twin of mult_std_thread_per_connection.cpp: the watcher is started
// once, by the constructor of the one Monitor that main creates, and lives
// for the life of the process; nothing joins it, so it is not a leak.
#include <condition_variable>
#include <mutex>
#include <thread>

int next_connection();

class Monitor {
 public:
  Monitor() {
    std::thread([this] {
      std::unique_lock<std::mutex> lk(mu_);
      for (;;) cv_.wait(lk);
    }).detach();
  }
  void connection(int) { cv_.notify_one(); }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
};

int main() {
  Monitor m;
  int fd;
  while ((fd = next_connection()) >= 0) m.connection(fd);
  return 0;
}
