// Qt: every connection gets a QThread::create'd watcher whose loop parks on
// a QWaitCondition with no exit, no stop flag and no timeout; the QThread *
// is never wait()ed, terminate()d or asked to stop, so each call leaks a
// thread parked forever.
#include <QMutex>
#include <QMutexLocker>
#include <QThread>
#include <QWaitCondition>

static QMutex qw_mu;
static QWaitCondition qw_cv;
static int qw_events;

static void qw_watch() {
  for (;;) {
    QMutexLocker lk(&qw_mu);
    while (qw_events == 0)
      qw_cv.wait(&qw_mu);
    qw_events--;
  }
}

void qw_on_connection() {
  QThread *t = QThread::create(qw_watch); // want: wait-without-cancel
  t->start();
}

void qw_accept_loop(int n) {
  for (int i = 0; i < n; i++)
    qw_on_connection();
}
