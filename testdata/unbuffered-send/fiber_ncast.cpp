// NCast with fibers in a vector: three pushers on an unbuffered channel, one pop.
#include <boost/fiber/all.hpp>
#include <vector>

static int first_of_three() {
  boost::fibers::unbuffered_channel<int> ch;
  std::vector<boost::fibers::fiber> fs;
  for (int i = 0; i < 3; i++)
    fs.emplace_back([&ch, i] { ch.push(i); }); // want: unbuffered-send
  int v = 0;
  ch.pop(v);
  for (auto &f : fs) f.detach();
  return v;
}
