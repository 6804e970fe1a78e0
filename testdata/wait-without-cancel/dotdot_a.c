/* Includes dotdot_inc/dotdot_worker.h by its plain path. */
#include "dotdot_inc/dotdot_worker.h"

void dotdot_a(void) { dotdot_start(); }
