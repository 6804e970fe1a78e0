// Includes dotdot_inc/dotdot_worker.h by its plain path (C++: the sharded cache test
// takes every .c fixture, and a header finding from two TUs in two shards is two).
#include "dotdot_inc/dotdot_worker.h"

void dotdot_a(void) { dotdot_start(); }
