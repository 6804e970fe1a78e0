// Includes dotdot_inc/dotdot_worker.h through "..". (C++, like dotdot_a.cpp.)
#include "dotdot_inc/../dotdot_inc/dotdot_worker.h"

void dotdot_b(void) { dotdot_start(); }
