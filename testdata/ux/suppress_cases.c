/* ux tests: inline suppressions. Lines marked want: stay reported. */
#include <time.h>

void same_line(int n) {
  for (int i = 0; i < n; i++) {
    timer_t t;
    timer_create(CLOCK_MONOTONIC, NULL, &t); // leaklint:ignore[timer-per-iteration] n <= 2 by contract
  }
}

void line_above(int n) {
  for (int i = 0; i < n; i++) {
    timer_t t;
    // leaklint:ignore[timer-per-iteration]: reviewed, the process exits after one call
    timer_create(CLOCK_MONOTONIC, NULL, &t);
  }
}

void block_above(int n) {
  for (int i = 0; i < n; i++) {
    timer_t t;
    /* leaklint:ignore[timer-per-iteration] -- a test double,
       the timers are torn down with the process */
    timer_create(CLOCK_MONOTONIC, NULL, &t);
  }
}

void several_rules(int n) {
  for (int i = 0; i < n; i++) {
    timer_t t;
    // leaklint:ignore[unbuffered-send, timer-per-iteration] reviewed in #123
    timer_create(CLOCK_MONOTONIC, NULL, &t);
  }
}

void no_reason(int n) {
  for (int i = 0; i < n; i++) {
    timer_t t;
    // leaklint:ignore[timer-per-iteration]
    timer_create(CLOCK_MONOTONIC, NULL, &t); // want: timer-per-iteration
  }
}

void other_rule(int n) {
  for (int i = 0; i < n; i++) {
    timer_t t;
    // leaklint:ignore[unbuffered-send] not the rule that fires here
    timer_create(CLOCK_MONOTONIC, NULL, &t); // want: timer-per-iteration
  }
}

void unknown_rule(int n) {
  for (int i = 0; i < n; i++) {
    timer_t t;
    // leaklint:ignore[timer-per-iteraton] typo in the rule id
    timer_create(CLOCK_MONOTONIC, NULL, &t); // want: timer-per-iteration
  }
}

void too_far_above(int n) {
  for (int i = 0; i < n; i++) {
    // leaklint:ignore[timer-per-iteration] two lines above does not count
    timer_t t;
    timer_create(CLOCK_MONOTONIC, NULL, &t); // want: timer-per-iteration
  }
}

void in_a_string(int n) {
  for (int i = 0; i < n; i++) {
    timer_t t;
    const char *s = "// leaklint:ignore[timer-per-iteration] a string, not a comment"; (void)s;
    timer_create(CLOCK_MONOTONIC, NULL, &t); // want: timer-per-iteration
  }
}

void malformed(int n) {
  for (int i = 0; i < n; i++) {
    timer_t t;
    // leaklint:ignore[timer-per-iteration reason without a closing bracket
    timer_create(CLOCK_MONOTONIC, NULL, &t); // want: timer-per-iteration
  }
}
