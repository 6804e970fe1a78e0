// MethodContractViolation in C++: start() spawns a consumer thread that
// only stop() ends (chan_close); process_batch() never calls stop().
#include <chan.h>
#include <thread>

class Consumer {
 public:
  void start() {
    jobs_ = chan_init(0);
    thread_ = std::thread([this] { // want: unbuffered-recv
      void *job;
      while (chan_recv(jobs_, &job) == 0) handled_++;
    });
  }
  void stop() {
    chan_close(jobs_);
    thread_.join();
  }
  void submit(void *job) { chan_send(jobs_, job); }

 private:
  chan_t *jobs_ = nullptr;
  std::thread thread_;
  int handled_ = 0;
};

static void process_batch(void **batch, int n) {
  Consumer c;
  c.start();
  for (int i = 0; i < n; i++) c.submit(batch[i]);
}

static void process_batch_ok(void **batch, int n) {
  Consumer c;
  c.start();
  for (int i = 0; i < n; i++) c.submit(batch[i]);
  c.stop();
}

int main() {
  process_batch(nullptr, 0);
  process_batch_ok(nullptr, 0);
  return 0;
}
