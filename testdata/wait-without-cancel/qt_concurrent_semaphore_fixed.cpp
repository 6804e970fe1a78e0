// Twin of qt_concurrent_semaphore.cpp: the consumer polls with
// tryAcquire(1, 100) and leaves when a stop flag is set; the caller keeps
// the QFuture, sets the flag and waitForFinished()s.
#include <QSemaphore>
#include <QtConcurrent/QtConcurrent>
#include <atomic>

static QSemaphore qcsf_items;
static std::atomic<bool> qcsf_stop;
static int qcsf_done;

static void qcsf_consume() {
  while (!qcsf_stop.load()) {
    if (qcsf_items.tryAcquire(1, 100))
      qcsf_done++;
  }
}

void qcsf_on_batch() {
  QFuture<void> f = QtConcurrent::run(qcsf_consume);
  qcsf_items.release(4);
  qcsf_stop.store(true);
  f.waitForFinished();
}

void qcsf_feed(int batches) {
  for (int i = 0; i < batches; i++)
    qcsf_on_batch();
}
