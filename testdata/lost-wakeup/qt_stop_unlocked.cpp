// Qt: stop() clears running_ and wakeAll()s without the QMutex the worker
// holds between its `while (running_ && pending_ == 0)` test and
// QWaitCondition::wait, so the wake can fall in between and wait() hangs.
#include <QMutex>
#include <QThread>
#include <QWaitCondition>

class QtFeeder {
public:
  void start() {
    running_ = true;
    th_ = QThread::create([this] { feed(); }); // want: lost-wakeup
    th_->start();
  }
  void stop() {
    running_ = false;
    cond_.wakeAll();
    th_->wait();
  }

private:
  void feed() {
    mu_.lock();
    while (running_) {
      while (running_ && pending_ == 0)
        cond_.wait(&mu_);
      if (pending_)
        pending_--;
    }
    mu_.unlock();
  }
  QThread *th_ = nullptr;
  QMutex mu_;
  QWaitCondition cond_;
  int pending_ = 0;
  bool running_ = false;
};

QtFeeder *make_qt_feeder() { return new QtFeeder; }
