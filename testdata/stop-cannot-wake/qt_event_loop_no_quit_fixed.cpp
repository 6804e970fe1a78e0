// Twin of qt_event_loop_no_quit.cpp: shutdown() clears the flag and calls
// QThread::quit() (thread-safe; it exits every event loop running in that
// thread) before QThread::wait(), so exec() returns and the loop ends.
#include <QEventLoop>
#include <QThread>
#include <atomic>

class QtLoopServiceFixed {
public:
  void start() {
    running_ = true;
    th_ = QThread::create([this] {
      QEventLoop loop;
      loop_ = &loop;
      while (running_)
        loop.exec();
    });
    th_->start();
  }
  void shutdown() {
    running_ = false;
    th_->quit();
    th_->wait();
  }

private:
  QThread *th_ = nullptr;
  QEventLoop *loop_ = nullptr;
  std::atomic<bool> running_{false};
};

QtLoopServiceFixed *make_qt_loop_service_fixed() { return new QtLoopServiceFixed; }
