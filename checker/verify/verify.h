/* verify.h - `leaklint verify [--format text|json|sarif] [-o FILE]
 * [--grace-ms N] [--ignore FUNC,...] -- PROGRAM ARGS...`: runs PROGRAM with
 * libleaklint-verify.so preloaded and the exit check point on, and reports the
 * tasks still alive at exit (or at a leaklint_verify_none() call). */
#ifndef LL_VERIFY_H
#define LL_VERIFY_H

/* argv[0] is "verify". Returns the exit code: 0 no leaked task, 1 leaked
 * tasks, 2 usage error or the program could not be run and checked. */
int ll_verify_main(int argc, char **argv);

#endif
