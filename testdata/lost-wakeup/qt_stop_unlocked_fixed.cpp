// Twin of qt_stop_unlocked.cpp: stop() clears running_ inside a
// QMutexLocker scope on the worker's mutex before wakeAll(), so the worker
// is either before its test (and sees the flag) or already waiting.
#include <QMutex>
#include <QMutexLocker>
#include <QThread>
#include <QWaitCondition>

class QtFeederFixed {
public:
  void start() {
    running_ = true;
    th_ = QThread::create([this] { feed(); });
    th_->start();
  }
  void stop() {
    {
      QMutexLocker lk(&mu_);
      running_ = false;
      cond_.wakeAll();
    }
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

QtFeederFixed *make_qt_feeder_fixed() { return new QtFeederFixed; }
