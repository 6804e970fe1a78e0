// Qt: a worker started with QThread::create waits on a QWaitCondition for
// jobs; stop() sets stop_ under the QMutex and QThread::wait()s, but never
// wakes the condition, so a worker parked in wait(&mu_) sleeps on and the
// wait() in stop() hangs.
#include <QMutex>
#include <QMutexLocker>
#include <QThread>
#include <QWaitCondition>

class QtJobQueue {
public:
  void start() {
    th_ = QThread::create([this] { loop(); }); // want: stop-cannot-wake
    th_->start();
  }
  void stop() {
    {
      QMutexLocker lk(&mu_);
      stop_ = true;
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

QtJobQueue *make_qt_job_queue() { return new QtJobQueue; }
