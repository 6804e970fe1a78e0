/* merge_sarif.h - `leaklint merge-sarif`: combine the SARIF logs of several
 * leaklint shards into one log with a single run. */
#ifndef LL_MERGE_SARIF_H
#define LL_MERGE_SARIF_H

#include <stddef.h>

/* Reads inputs[0..n), writes the merged log to `output` (NULL or "-" means
 * stdout) atomically: a temporary file in the same directory renamed over
 * `output`, so a failed merge never leaves a partial file.
 *  - tool/driver/rules, originalUriBaseIds and columnKind come from the first
 *    input; rules only another input knows are appended; ruleIndex is
 *    recomputed from ruleId;
 *  - results: union, de-duplicated by ruleId + partialFingerprints + location,
 *    sorted by (uri, line, column, ruleId, message) so the order does not
 *    depend on the order of the inputs;
 *  - roots: every run's %SRCROOT% must equal the first's (both unrecorded,
 *    the default, counts as equal), or lie below it: then that run's
 *    relative URIs are rebased onto the first's root; any other mix is
 *    refused (exit 2) rather than mislabelled;
 *  - invocations: one; executionSuccessful is true only when every input's
 *    invocations were; notifications are the union (exact duplicates once).
 * Returns the exit code: 0 on success, 2 with *err set (caller frees) when an
 * input is unreadable or not a leaklint SARIF 2.1.0 log, or writing failed. */
int ll_merge_sarif(const char *const *inputs, size_t n, const char *output, char **err);

#endif
