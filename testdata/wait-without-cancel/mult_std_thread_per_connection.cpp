// Multiplicity, std::thread: Server::on_connection starts a detached
// watcher per connection that waits on the server's condition variable
// forever; the event loop calls it for every connection.
#include <condition_variable>
#include <mutex>
#include <thread>

int next_connection();

class Server {
 public:
  void on_connection(int fd) {
    std::thread([this, fd] { // want: wait-without-cancel "a new task leaks on every call of `Server::on_connection`"
      std::unique_lock<std::mutex> lk(mu_);
      for (;;) cv_.wait(lk);
      (void)fd;
    }).detach();
  }
  void run() {
    int fd;
    while ((fd = next_connection()) >= 0) on_connection(fd);
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
};

int main() {
  Server s;
  s.run();
  return 0;
}
