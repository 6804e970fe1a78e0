// A named consumer function started with std::ref(chan): the parameter is
// the spawner's channel. The consumer ranges until close().
#include <boost/fiber/all.hpp>
#include <iostream>

typedef boost::fibers::unbuffered_channel<unsigned int> channel_t;

static void print_all(channel_t &chan) {
  for (unsigned int value : chan) std::cout << value << " ";
  std::cout << std::endl;
}

static void run_without_close() {
  channel_t chan;
  boost::fibers::fiber f(&print_all, std::ref(chan)); // want: unbuffered-recv
  f.detach();
  chan.push(1);
  chan.push(2);
}

static void run_with_close() {
  channel_t chan;
  boost::fibers::fiber f(&print_all, std::ref(chan));
  chan.push(1);
  chan.push(2);
  chan.close();
  f.join();
}

// one run per request: a new fiber leaks on every call of run_without_close
int main(int argc, char **) {
  while (argc-- > 0) run_without_close();
  run_with_close();
  return 0;
}
