// Qt: QtConcurrent::run starts a consumer on the global QThreadPool for
// every batch and drops the QFuture; the consumer loops on
// QSemaphore::acquire() with no exit, so each batch leaves a pool thread
// parked forever (and the pool's waitForDone() at exit never returns).
#include <QSemaphore>
#include <QtConcurrent/QtConcurrent>

static QSemaphore qcs_items;
static int qcs_done;

static void qcs_consume() {
  for (;;) {
    qcs_items.acquire();
    qcs_done++;
  }
}

void qcs_on_batch() {
  QtConcurrent::run(qcs_consume); // want: wait-without-cancel
  qcs_items.release(4);
}

void qcs_feed(int batches) {
  for (int i = 0; i < batches; i++)
    qcs_on_batch();
}
