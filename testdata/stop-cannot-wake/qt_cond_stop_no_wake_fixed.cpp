// Twin of qt_cond_stop_no_wake.cpp: stop() sets the flag under the QMutex
// and wakeAll()s the condition before QThread::wait(), so the worker wakes,
// sees stop_ and returns.
#include <QMutex>
#include <QMutexLocker>
#include <QThread>
#include <QWaitCondition>

class QtJobQueueFixed {
public:
  void start() {
    th_ = QThread::create([this] { loop(); });
    th_->start();
  }
  void stop() {
    {
      QMutexLocker lk(&mu_);
      stop_ = true;
      cv_.wakeAll();
    }
    th_->wait();
    delete th_;
  }
  void push() {
    QMutexLocker lk(&mu_);
    jobs_++;
    cv_.wakeOne();
  }

private:
  void loop() {
    QMutexLocker lk(&mu_);
    while (!stop_) {
      while (!stop_ && jobs_ == 0)
        cv_.wait(&mu_);
      if (jobs_ > 0)
        jobs_--;
    }
  }
  QThread *th_ = nullptr;
  QMutex mu_;
  QWaitCondition cv_;
  int jobs_ = 0;
  bool stop_ = false;
};

QtJobQueueFixed *make_qt_job_queue_fixed() { return new QtJobQueueFixed; }

// A timed wait is not parked forever: the loop re-tests stop_ every 100 ms,
// so a stop that never wakes the condition still ends the task
// (QWaitCondition::wait(&m, ms) is a different overload from wait(&m)).
class QtPollingQueue {
public:
  void start() {
    th_ = QThread::create([this] { loop(); });
    th_->start();
  }
  void stop() {
    {
      QMutexLocker lk(&mu_);
      stop_ = true;
    }
    th_->wait();
  }

private:
  void loop() {
    QMutexLocker lk(&mu_);
    while (!stop_) cv_.wait(&mu_, 100);
  }
  QMutex mu_;
  QWaitCondition cv_;
  bool stop_ = false;
  QThread *th_ = nullptr;
};
