/* stop-cannot-wake: a first negative fixture (no finding expected). Positive
 * fixtures end the reported line with a want comment naming the rule
 * (tools/check_fixtures.py). */
void stop_cannot_wake_ok(void) {}
