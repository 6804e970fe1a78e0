// Qt: every message allocates a parentless QTimer for its idle timeout and
// starts it, but nothing deletes it, stops it, connects its timeout or keeps
// the pointer: one live timer leaks per message of the receive loop.
#include <QTimer>

class QtSession {
public:
  void on_message(int bytes) {
    QTimer *idle = new QTimer; // want: timer-per-iteration
    idle->setSingleShot(true);
    idle->start(30000);
    bytes_ += bytes;
  }
  void pump(int messages) {
    for (int i = 0; i < messages; i++)
      on_message(64);
  }

private:
  long bytes_ = 0;
};
