/* leaklint_verify.h - the on-demand check point of libleaklint-verify.so
 * (`leaklint verify`, goleak's VerifyNone for C and C++).
 *
 * Call leaklint_verify_none() where no task of the code under test should be
 * alive any more: at the end of a test (GoogleTest: TearDown), or at the end
 * of main. It waits up to LEAKLINT_VERIFY_GRACE_MS (default 500) for tasks that
 * are still finishing, then reports every thread started with pthread_create
 * (std::thread, std::async, C11 thrd_create, ...) that is still alive, with its
 * parked stack, its state and where it was created. The calling thread is never
 * reported. Returns the number of leaked tasks (0 = none), or -1 when the
 * check could not run (out of memory).
 *
 * The report goes to stderr, or as JSON lines to $LEAKLINT_VERIFY_REPORT
 * (what `leaklint verify` reads).
 *
 * Two ways to use it:
 *  - link the test with -lleaklint-verify (or the built libleaklint-verify.so);
 *  - or define LEAKLINT_VERIFY_WEAK before including this header: the symbol is
 *    then a weak reference, resolved only when the library is preloaded
 *    (`leaklint verify -- ./test`, or LD_PRELOAD); without it
 *    LEAKLINT_VERIFY_NONE() is 0 and the test links and runs unchanged. */
#ifndef LEAKLINT_VERIFY_H
#define LEAKLINT_VERIFY_H

#ifdef __cplusplus
extern "C" {
#endif

/* Every task alive now is never reported by later check points: call it
 * once before the tests start, for threads the process keeps on purpose (a
 * logger, a pool started in main) — goleak's IgnoreCurrent. */
#if defined(LEAKLINT_VERIFY_WEAK) && defined(__GNUC__)
int leaklint_verify_none(void) __attribute__((weak));
void leaklint_verify_ignore_current(void) __attribute__((weak));
#define LEAKLINT_VERIFY_NONE() (leaklint_verify_none ? leaklint_verify_none() : 0)
#define LEAKLINT_VERIFY_IGNORE_CURRENT() \
  (leaklint_verify_ignore_current ? leaklint_verify_ignore_current() : (void)0)
#else
int leaklint_verify_none(void);
void leaklint_verify_ignore_current(void);
#define LEAKLINT_VERIFY_NONE() leaklint_verify_none()
#define LEAKLINT_VERIFY_IGNORE_CURRENT() leaklint_verify_ignore_current()
#endif

#ifdef __cplusplus
}
#endif

#endif
