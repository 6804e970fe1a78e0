// Twin of qt_timer_per_message.cpp: one member QTimer, created once, is
// restarted with start(ms) on every message; a heap QTimer made for one
// message is deleteLater()'d; a stack QTimer in a loop is destroyed (and
// stopped) at the end of each iteration; QTimer::singleShot timers belong to
// Qt, which frees each one after it fires.
#include <QObject>
#include <QTimer>

class QtSessionFixed {
public:
  void on_message(int bytes) {
    idle_.setSingleShot(true);
    idle_.start(30000);
    bytes_ += bytes;
  }
  void on_probe() {
    QTimer *probe = new QTimer;
    probe->start(1000);
    probe->deleteLater();
  }
  void pump(int messages) {
    for (int i = 0; i < messages; i++) {
      on_message(64);
      on_probe();
      QTimer tick;
      tick.start(10);
      QTimer::singleShot(100, [] {});
    }
  }

private:
  QTimer idle_;
  long bytes_ = 0;
};
