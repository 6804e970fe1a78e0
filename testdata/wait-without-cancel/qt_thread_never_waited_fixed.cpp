// Twin of qt_thread_never_waited.cpp: the watcher's loop and its wait test
// isInterruptionRequested(), and the caller requestInterruption()s, wakes
// the condition and wait()s for the thread before deleting it.
#include <QMutex>
#include <QMutexLocker>
#include <QThread>
#include <QWaitCondition>

static QMutex qwf_mu;
static QWaitCondition qwf_cv;
static int qwf_events;

static void qwf_watch() {
  QThread *self = QThread::currentThread();
  while (!self->isInterruptionRequested()) {
    QMutexLocker lk(&qwf_mu);
    while (qwf_events == 0 && !self->isInterruptionRequested())
      qwf_cv.wait(&qwf_mu);
    if (qwf_events)
      qwf_events--;
  }
}

void qwf_on_connection() {
  QThread *t = QThread::create(qwf_watch);
  t->start();
  t->requestInterruption();
  {
    QMutexLocker lk(&qwf_mu);
    qwf_cv.wakeAll();
  }
  t->wait();
  delete t;
}

void qwf_accept_loop(int n) {
  for (int i = 0; i < n; i++)
    qwf_on_connection();
}
