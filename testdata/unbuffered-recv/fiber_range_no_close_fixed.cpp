// Fixed twin: close() ends the consumer's range-for; then join it.
#include <boost/fiber/all.hpp>

static int produce(int n) {
  boost::fibers::unbuffered_channel<int> ch;
  int sum = 0;
  boost::fibers::fiber consumer([&ch, &sum] {
    for (int v : ch) sum += v;
  });
  for (int i = 0; i < n; i++) ch.push(i);
  ch.close();
  consumer.join();
  return sum;
}
