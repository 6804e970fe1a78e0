// Qt: the service thread re-runs a QEventLoop while running_; exec() returns
// only when quit() or exit() is called on the loop, and shutdown() clears
// the flag and QThread::wait()s without quitting it, so the wait hangs.
#include <QEventLoop>
#include <QThread>
#include <atomic>

class QtLoopService {
public:
  void start() {
    running_ = true;
    th_ = QThread::create([this] { // want: stop-cannot-wake
      QEventLoop loop;
      loop_ = &loop;
      while (running_)
        loop.exec();
    });
    th_->start();
  }
  void shutdown() {
    running_ = false;
    th_->wait();
  }

private:
  QThread *th_ = nullptr;
  QEventLoop *loop_ = nullptr;
  std::atomic<bool> running_{false};
};

QtLoopService *make_qt_loop_service() { return new QtLoopService; }
