// NoCloseRange: the consumer fiber ranges over the channel until it is
// closed; the producer pushes its values and returns without close().
#include <boost/fiber/all.hpp>

static void produce(int n) {
  boost::fibers::unbuffered_channel<int> ch;
  int sum = 0;
  boost::fibers::fiber consumer([&ch, &sum] { // want: unbuffered-recv
    for (int v : ch) sum += v;
  });
  consumer.detach();
  for (int i = 0; i < n; i++) ch.push(i);
}
