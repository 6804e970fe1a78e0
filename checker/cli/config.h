/* config.h - .leaklint.json: project settings merged into ll_options.
 *
 * The file is --config FILE, else the first .leaklint.json found in the
 * current directory or one of its parents. Keys (all optional):
 *   "select", "ignore"   arrays of rule ids; --select / --ignore replace them, and a
 *                        rule named with --select is never ignored by the config
 *   "level"              {"rule-id": "note" | "warning" | "error"}
 *   "exclude"            globs; with a '/' they are relative to the config's directory
 *   "args"               compiler arguments, placed before the ones after `--`
 *                        (relative paths in -I, -include ... against the config's dir)
 *   "compile_commands"   directory or file (unless -p is given)
 *   "rule_packs"         extra rule pack directories or files
 *   "cache"              true (default directory), false, "local"
 *                        (<config dir>/.leaklint-cache) or a directory
 *   "models"             one inline rule pack (the schema of rules/NAME.json)
 *   "allow_parse_errors" true: files that fail to parse do not make the exit code 2
 *   "root"               the project root (--root wins); default: the config's directory
 *   "$schema"            ignored
 * Relative paths are relative to the config file's directory. Unknown keys and
 * wrong types are errors. */
#ifndef LL_CONFIG_H
#define LL_CONFIG_H

#include <stdio.h>
#include "options.h"

/* Finds and merges the config into *o (after ll_cli_parse), then resolves
 * o->cache_dir and o->root (--root, config "root", the config's directory, the git
 * top level, the cwd). Returns 0 (also when there is no config file), or -1 with
 * *err (caller frees) as "FILE: JSON-PATH: what is wrong". */
int ll_config_load(ll_options *o, char **err);

/* The root a run would use without --root: the directory of the
 * .leaklint.json found upward, else the git top level, else the current
 * directory (canonical; for `leaklint verify`). Caller frees. */
char *ll_config_default_root(void);

/* --show-settings: the settings a run would use (merged = after
 * ll_config_load, cli = a copy taken before it) and where each came from:
 * "command line", the config file, or "default". Text, or JSON when json:
 *   {"config": PATH|null, "settings": {"NAME": {"value": V, "source": S}},
 *    "lists": {"NAME": [{"value": V, "source": S}]}}
 * Returns 0, or -1 on a write error. */
int ll_config_show(FILE *out, const ll_options *cli, const ll_options *merged, int json);

/* Writes DIR/.gitignore containing "*" unless DIR already has one, so that a
 * cache kept inside a work tree (config "cache": "local", --cache-dir) never
 * shows up in `git status` (as pytest and ruff do). Best effort: a failure
 * only costs that convenience. */
void ll_config_ignore_cache_dir(const char *dir);

#endif
