// Twin of qt_timer_per_message.cpp: one member QTimer, created once, is
// restarted with start(ms) on every message; a heap QTimer made for one
// message is deleteLater()'d; one made with new QTimer(this) is a child the
// object deletes (the pack treats that form as owned); a stack QTimer in a loop is destroyed (and
// stopped) at the end of each iteration; QTimer::singleShot timers belong to
// Qt, which frees each one after it fires.
#include <QObject>
#include <QTimer>

class QtSessionFixed : public QObject {
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
  void on_retry() {
    QTimer *retry = new QTimer(this);
    retry->start(500);
  }
  void pump(int messages) {
    for (int i = 0; i < messages; i++) {
      on_message(64);
      on_probe();
      on_retry();
      QTimer tick;
      tick.start(10);
      QTimer::singleShot(100, [] {});
    }
  }

private:
  QTimer idle_;
  long bytes_ = 0;
};
