/* ux tests (baseline): the same code later - a new header comment, lines
 * shifted, re-indented with tabs, trailing comments changed. The baseline
 * still covers every finding. */
#include <stdio.h>
#include <time.h>

static int helper(void) { return 0; }

void poll_all(int n) {
	for (int i = 0; i < n; i++) {
		timer_t t;
		timer_create(CLOCK_MONOTONIC,  NULL, &t);   /* reviewed later */
	}
}

void drain_all(int n) {
	for (int i = 0; i < n; i++) {
		timer_t t;

		timer_create(CLOCK_MONOTONIC, NULL, &t); // TODO
	}
	for (int i = 0; i < n; i++) {
		timer_t t;
		timer_create(CLOCK_MONOTONIC, NULL, &t);
	}
}
