// Fixed twin: buffered_channel holds capacity - 1 values, so 4 slots make
// room for three answers.
#include <boost/fiber/all.hpp>
#include <vector>

static int first_of_three() {
  boost::fibers::buffered_channel<int> ch{4};
  std::vector<boost::fibers::fiber> fs;
  for (int i = 0; i < 3; i++)
    fs.emplace_back([&ch, i] { ch.push(i); });
  int v = 0;
  ch.pop(v);
  for (auto &f : fs) f.join();
  return v;
}
