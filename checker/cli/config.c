/* config.c - .leaklint.json (see config.h for the keys). */
#include "config.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cache.h"
#include "report.h"
#include "discover.h"
#include "flagsan.h"
#include "registry.h"
#include "readfile.h"
#include "util.h"

#define CONFIG_NAME ".leaklint.json"

typedef struct cfg_ctx {
  const char *file; /* config path as shown in messages */
  char *dir;        /* its directory ("." for the current one) */
  char *root;       /* the project root it names ("root", else dir), after merge */
  char *err;
} cfg_ctx;

static int fail(cfg_ctx *c, const char *ptr, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int fail(cfg_ctx *c, const char *ptr, const char *fmt, ...) {
  ll_buf b = {0};
  va_list ap;
  va_start(ap, fmt);
  if (ptr) ll_buf_printf(&b, "%s: %s: ", c->file, ptr);
  else ll_buf_printf(&b, "%s: ", c->file);
  ll_buf_vprintf(&b, fmt, ap);
  va_end(ap);
  free(c->err);
  c->err = ll_buf_take(&b);
  return -1;
}

/* JSON pointer of parent + key (RFC 6901 escaping). Caller frees. */
static char *ptr_key(const char *parent, const char *key) {
  ll_buf b = {0};
  ll_buf_puts(&b, parent);
  ll_buf_putc(&b, '/');
  for (const char *p = key; *p; p++) {
    if (*p == '~') ll_buf_puts(&b, "~0");
    else if (*p == '/') ll_buf_puts(&b, "~1");
    else ll_buf_putc(&b, *p);
  }
  return ll_buf_take(&b);
}

static char *ptr_index(const char *parent, size_t i) {
  return ll_xasprintf("%s/%zu", parent, i);
}

static const char *type_name(const cJSON *j) {
  if (cJSON_IsObject(j)) return "an object";
  if (cJSON_IsArray(j)) return "an array";
  if (cJSON_IsString(j)) return "a string";
  if (cJSON_IsNumber(j)) return "a number";
  if (cJSON_IsBool(j)) return "a boolean";
  if (cJSON_IsNull(j)) return "null";
  return "an invalid value";
}

/* Rejects objects that repeat a key (cJSON keeps both silently). */
static int check_duplicates(cfg_ctx *c, const cJSON *j, const char *ptr) {
  if (cJSON_IsObject(j)) {
    for (const cJSON *a = j->child; a; a = a->next)
      for (const cJSON *b = a->next; b; b = b->next)
        if (strcmp(a->string, b->string) == 0) {
          char *p = ptr_key(ptr, b->string);
          int r = fail(c, p, "duplicate key");
          free(p);
          return r;
        }
  }
  if (cJSON_IsObject(j) || cJSON_IsArray(j)) {
    size_t i = 0;
    for (const cJSON *a = j->child; a; a = a->next, i++) {
      char *p = cJSON_IsObject(j) ? ptr_key(ptr, a->string) : ptr_index(ptr, i);
      int r = check_duplicates(c, a, p);
      free(p);
      if (r < 0) return r;
    }
  }
  return 0;
}

/* dir + "/" + rel unless rel is absolute; "." dir gives rel itself. */
static char *resolve(const cfg_ctx *c, const char *rel) {
  if (rel[0] == '/' || strcmp(c->dir, ".") == 0) return ll_xstrdup(rel);
  return ll_xasprintf("%s/%s", c->dir, rel);
}

/* Validates an array of non-empty strings; on success appends each (through
 * map when not NULL) to out. */
static int string_array(cfg_ctx *c, const cJSON *j, const char *ptr, ll_strlist *out,
                        char *(*map)(const cfg_ctx *, const char *)) {
  if (!cJSON_IsArray(j)) return fail(c, ptr, "expected an array of strings, found %s", type_name(j));
  size_t i = 0;
  for (const cJSON *e = j->child; e; e = e->next, i++) {
    if (!cJSON_IsString(e) || !e->valuestring[0]) {
      char *p = ptr_index(ptr, i);
      int r = cJSON_IsString(e) ? fail(c, p, "expected a non-empty string")
                                : fail(c, p, "expected a string, found %s", type_name(e));
      free(p);
      return r;
    }
  }
  if (!out) return 0;
  for (const cJSON *e = j->child; e; e = e->next) {
    if (map) {
      char *m = map(c, e->valuestring);
      ll_strlist_push(out, m);
      free(m);
    } else {
      ll_strlist_push(out, e->valuestring);
    }
  }
  return 0;
}

static int rule_ids(cfg_ctx *c, const cJSON *j, const char *ptr, ll_strlist *out) {
  if (string_array(c, j, ptr, NULL, NULL) < 0) return -1;
  size_t i = 0;
  for (const cJSON *e = j->child; e; e = e->next, i++) {
    if (ll_registry_find(e->valuestring) < 0) {
      char *p = ptr_index(ptr, i);
      int r = fail(c, p, "unknown rule '%s'" LL_DYM_FMT, e->valuestring,
                   LL_DYM_ARGS(ll_did_you_mean_rule(e->valuestring)));
      free(p);
      return r;
    }
  }
  if (out)
    for (const cJSON *e = j->child; e; e = e->next)
      if (!ll_strlist_contains(out, e->valuestring)) ll_strlist_push(out, e->valuestring);
  return 0;
}

/* Exclude globs: those with a '/' are anchored at the config's directory
 * (made absolute, which discover matches against absolute paths); a bare
 * name matches any path component and stays as it is. */
static char *map_exclude(const cfg_ctx *c, const char *glob) {
  if (!strchr(glob, '/') || glob[0] == '/') return ll_xstrdup(glob);
  while (glob[0] == '.' && glob[1] == '/') glob += 2;
  char *absdir = ll_discover_absolute(c->dir);
  char *r = strcmp(absdir, "/") == 0 ? ll_xasprintf("/%s", glob)
                                      : ll_xasprintf("%s/%s", absdir, glob);
  free(absdir);
  return r;
}

static char *map_path(const cfg_ctx *c, const char *rel) { return resolve(c, rel); }

/* Makes *list = *head followed by the old *list; empties *head. */
static void prepend(ll_strlist *list, ll_strlist *head) {
  for (size_t i = 0; i < list->n; i++) {
    ll_strlist_push(head, list->v[i]);
  }
  ll_strlist_free(list);
  *list = *head;
  memset(head, 0, sizeof(*head));
}

static int level_from(const char *s, ll_level *out) {
  if (!strcmp(s, "note")) *out = LL_LEVEL_NOTE;
  else if (!strcmp(s, "warning")) *out = LL_LEVEL_WARNING;
  else if (!strcmp(s, "error")) *out = LL_LEVEL_ERROR;
  else return -1;
  return 0;
}

/* The config's keys, in the order of k_keys. */
enum {
  K_SELECT, K_IGNORE, K_LEVEL, K_EXCLUDE, K_ARGS, K_COMPDB, K_PACKS, K_CACHE, K_MODELS,
  K_ALLOW_PARSE_ERRORS, K_SCHEMA, K_ROOT, K_COUNT
};
static const char *const k_keys[K_COUNT] = {
  "select", "ignore", "level", "exclude", "args", "compile_commands", "rule_packs", "cache",
  "models", "allow_parse_errors", "$schema", "root"};

/* Fills key[K_...] with the members of root (NULL when absent); an unknown
 * key is an error, with a suggestion when one is close. */
static int collect_keys(cfg_ctx *c, const cJSON *root, const cJSON *key[K_COUNT]) {
  for (size_t i = 0; i < K_COUNT; i++) key[i] = NULL;
  for (const cJSON *k = root->child; k; k = k->next) {
    size_t i = 0;
    while (i < K_COUNT && strcmp(k->string, k_keys[i]) != 0) i++;
    if (i < K_COUNT) {
      if (!key[i]) key[i] = k;
      continue;
    }
    char *p = ptr_key("", k->string);
    const char *s = ll_did_you_mean(k->string, k_keys, K_COUNT);
    int r = s ? fail(c, p, "unknown key (did you mean '%s'?)", s)
              : fail(c, p, "unknown key (expected one of select, ignore, level, exclude, args, "
                           "compile_commands, rule_packs, cache, models, allow_parse_errors, root)");
    free(p);
    return r;
  }
  return 0;
}

static int validate_levels(cfg_ctx *c, const cJSON *lvl) {
  if (!cJSON_IsObject(lvl))
    return fail(c, "/level", "expected an object mapping rule ids to levels, found %s",
                type_name(lvl));
  for (const cJSON *e = lvl->child; e; e = e->next) {
    char *p = ptr_key("/level", e->string);
    ll_level l;
    int r = 0;
    if (ll_registry_find(e->string) < 0)
      r = fail(c, p, "unknown rule '%s'" LL_DYM_FMT, e->string,
               LL_DYM_ARGS(ll_did_you_mean_rule(e->string)));
    else if (!cJSON_IsString(e))
      r = fail(c, p, "expected \"note\", \"warning\" or \"error\", found %s", type_name(e));
    else if (level_from(e->valuestring, &l) < 0)
      r = fail(c, p, "expected \"note\", \"warning\" or \"error\", found \"%s\"", e->valuestring);
    free(p);
    if (r < 0) return r;
  }
  return 0;
}

/* A non-empty string, or an error at ptr. */
static int check_nonempty_string(cfg_ctx *c, const cJSON *j, const char *ptr) {
  if (!j || (cJSON_IsString(j) && j->valuestring[0])) return 0;
  return fail(c, ptr, "expected a non-empty string, found %s",
              cJSON_IsString(j) ? "an empty string" : type_name(j));
}

/* Checks every key's value; changes nothing. */
static int validate(cfg_ctx *c, const cJSON *const key[K_COUNT]) {
  const cJSON *cache = key[K_CACHE];
  if (key[K_SELECT] && rule_ids(c, key[K_SELECT], "/select", NULL) < 0) return -1;
  if (key[K_IGNORE] && rule_ids(c, key[K_IGNORE], "/ignore", NULL) < 0) return -1;
  if (key[K_LEVEL] && validate_levels(c, key[K_LEVEL]) < 0) return -1;
  if (key[K_EXCLUDE] && string_array(c, key[K_EXCLUDE], "/exclude", NULL, NULL) < 0) return -1;
  if (key[K_ARGS] && string_array(c, key[K_ARGS], "/args", NULL, NULL) < 0) return -1;
  if (key[K_PACKS] && string_array(c, key[K_PACKS], "/rule_packs", NULL, NULL) < 0) return -1;
  if (check_nonempty_string(c, key[K_COMPDB], "/compile_commands") < 0) return -1;
  if (cache && !cJSON_IsBool(cache) && !(cJSON_IsString(cache) && cache->valuestring[0]))
    return fail(c, "/cache", "expected true, false, \"local\" or a directory, found %s",
                cJSON_IsString(cache) ? "an empty string" : type_name(cache));
  if (key[K_MODELS] && !cJSON_IsObject(key[K_MODELS]))
    return fail(c, "/models", "expected a rule pack object, found %s", type_name(key[K_MODELS]));
  if (key[K_ALLOW_PARSE_ERRORS] && !cJSON_IsBool(key[K_ALLOW_PARSE_ERRORS]))
    return fail(c, "/allow_parse_errors", "expected true or false, found %s",
                type_name(key[K_ALLOW_PARSE_ERRORS]));
  if (check_nonempty_string(c, key[K_ROOT], "/root") < 0) return -1;
  if (key[K_SCHEMA] && !cJSON_IsString(key[K_SCHEMA]))
    return fail(c, "/$schema", "expected a string, found %s", type_name(key[K_SCHEMA]));
  return 0;
}

/* The rule lists and levels. The command line wins: a --select or --ignore
 * replaces the config's list of the same name, and a rule selected on the
 * command line runs even when the config ignores it (the user asked for it
 * just now). */
static void apply_rules(cfg_ctx *c, const cJSON *const key[K_COUNT], ll_options *o) {
  if (key[K_IGNORE] && o->ignore.n == 0) { /* before "select": o->select is the command line's */
    ll_strlist cfg_ignore = {0};
    rule_ids(c, key[K_IGNORE], "/ignore", &cfg_ignore);
    for (size_t i = 0; i < cfg_ignore.n; i++)
      if (!ll_strlist_contains(&o->select, cfg_ignore.v[i]))
        ll_strlist_push(&o->ignore, cfg_ignore.v[i]);
    ll_strlist_free(&cfg_ignore);
  }
  if (key[K_SELECT] && o->select.n == 0) rule_ids(c, key[K_SELECT], "/select", &o->select);
  if (key[K_LEVEL])
    for (const cJSON *e = key[K_LEVEL]->child; e; e = e->next) {
      int idx = ll_registry_find(e->string);
      ll_level l;
      if (idx >= 0 && level_from(e->valuestring, &l) == 0) ll_options_set_level(o, (size_t)idx, l);
    }
}

/* The inputs: excludes, compiler args and packs resolve against the
 * config's directory; the compilation database unless -p named one. */
static void apply_inputs(cfg_ctx *c, const cJSON *const key[K_COUNT], ll_options *o) {
  if (key[K_EXCLUDE]) string_array(c, key[K_EXCLUDE], "/exclude", &o->excludes, map_exclude);
  if (key[K_ARGS]) {
    ll_strlist raw = {0}, head = {0};
    string_array(c, key[K_ARGS], "/args", &raw, NULL);
    char *absdir = ll_discover_absolute(c->dir);
    ll_flagsan_rebase(raw.v, raw.n, absdir, &head);
    free(absdir);
    ll_strlist_free(&raw);
    prepend(&o->compiler_args, &head);
  }
  if (key[K_PACKS]) {
    ll_strlist head = {0};
    string_array(c, key[K_PACKS], "/rule_packs", &head, map_path);
    prepend(&o->rule_dirs, &head);
  }
  const cJSON *cdb = key[K_COMPDB];
  if (cdb && !o->compile_commands) o->compile_commands = resolve(c, cdb->valuestring);
}

/* The cache (unless --no-cache or --cache-dir) and the inline models. */
static int apply_cache_models(cfg_ctx *c, const cJSON *const key[K_COUNT], ll_options *o) {
  const cJSON *cache = key[K_CACHE];
  if (cache && !o->no_cache && !o->cache_dir) {
    if (cJSON_IsFalse(cache)) o->no_cache = 1;
    else if (cJSON_IsString(cache) && !strcmp(cache->valuestring, "local"))
      o->cache_dir = resolve(c, ".leaklint-cache");
    else if (cJSON_IsString(cache))
      o->cache_dir = resolve(c, cache->valuestring);
  }
  if (key[K_MODELS]) {
    char *text = cJSON_PrintUnformatted(key[K_MODELS]);
    if (!text) return fail(c, "/models", "out of memory");
    free(o->inline_models);
    o->inline_models = ll_xstrdup(text);
    cJSON_free(text);
    free(o->inline_models_origin);
    o->inline_models_origin = ll_xasprintf("%s: /models", c->file);
  }
  return 0;
}

/* Merges a parsed config. Validates everything before changing *o, so a
 * failure leaves the options as the command line made them. */
static int merge(cfg_ctx *c, const cJSON *root, ll_options *o) {
  const cJSON *key[K_COUNT];
  if (!cJSON_IsObject(root)) return fail(c, NULL, "expected a JSON object, found %s", type_name(root));
  if (check_duplicates(c, root, "") < 0) return -1;
  if (collect_keys(c, root, key) < 0 || validate(c, key) < 0) return -1;
  apply_rules(c, key, o);
  apply_inputs(c, key, o);
  /* --allow-parse-errors can only switch it on: the config applies without it */
  if (cJSON_IsTrue(key[K_ALLOW_PARSE_ERRORS])) o->allow_parse_errors = 1;
  free(c->root);
  c->root = key[K_ROOT] ? resolve(c, key[K_ROOT]->valuestring) : ll_xstrdup(c->dir);
  return apply_cache_models(c, key, o);
}

/* Finds .leaklint.json in the current directory or a parent. Caller frees. */
static char *find_upward(void) {
  char *dir = getcwd(NULL, 0);
  if (!dir) return NULL;
  char *cwd = ll_xstrdup(dir);
  for (;;) {
    char *cand = strcmp(dir, "/") == 0 ? ll_xstrdup("/" CONFIG_NAME)
                                       : ll_xasprintf("%s/%s", dir, CONFIG_NAME);
    struct stat st;
    if (stat(cand, &st) == 0 && S_ISREG(st.st_mode)) {
      char *r;
      if (strcmp(dir, cwd) == 0) {
        free(cand);
        r = ll_xstrdup(CONFIG_NAME);
      } else {
        r = cand;
      }
      free(dir);
      free(cwd);
      return r;
    }
    free(cand);
    char *slash = strrchr(dir, '/');
    if (!slash || strcmp(dir, "/") == 0) break;
    if (slash == dir) slash[1] = '\0';
    else *slash = '\0';
  }
  free(dir);
  free(cwd);
  return NULL;
}

/* Why cJSON stopped at text[off]: what is there, and the usual cause when
 * it is a mistake people make in hand-written JSON. */
static void json_reason(const char *text, size_t len, size_t off, char *out, size_t cap) {
  if (off >= len) {
    snprintf(out, cap, "unexpected end of input (an unclosed string, array or object?)");
    return;
  }
  unsigned char ch = (unsigned char)text[off];
  size_t k = off;
  while (k > 0 && strchr(" \t\r\n", text[k - 1])) k--;
  if ((ch == '}' || ch == ']') && k > 0 && text[k - 1] == ',')
    snprintf(out, cap, "unexpected '%c' after ',' (JSON allows no trailing comma)", ch);
  else if (ch == '\'' || (off > 0 && text[off - 1] == '\''))
    snprintf(out, cap, "unexpected \"'\" (JSON strings take double quotes)");
  else if (ch == '/')
    snprintf(out, cap, "unexpected '/' (JSON has no comments)");
  else if (ch == '"' && k > 0 && strchr("\"]}0123456789el", text[k - 1]))
    snprintf(out, cap, "unexpected '\"' (a ',' missing before it?)");
  else if (ch >= 0x20 && ch < 0x7f)
    snprintf(out, cap, "unexpected '%c'", ch);
  else
    snprintf(out, cap, "unexpected byte 0x%02x", ch);
}

static void offset_to_linecol(const char *text, size_t off, unsigned *line, unsigned *col) {
  *line = 1;
  *col = 1;
  for (size_t i = 0; i < off && text[i]; i++) {
    if (text[i] == '\n') {
      (*line)++;
      *col = 1;
    } else {
      (*col)++;
    }
  }
}

static void resolve_cache(ll_options *o) {
  if (o->no_cache) {
    free(o->cache_dir);
    o->cache_dir = NULL;
    return;
  }
  if (!o->cache_dir) o->cache_dir = ll_cache_default_dir();
}

/* The git top level of the current directory, or NULL outside a work tree. */
static char *git_toplevel(void) {
  char *const args[] = {"rev-parse", "--show-toplevel", NULL};
  char *out = NULL;
  size_t len = 0;
  if (ll_discover_git(".", args, &out, &len) != 0) {
    free(out); /* git's output, also on failure */
    return NULL;
  }
  while (len && (out[len - 1] == '\n' || out[len - 1] == '\r')) out[--len] = '\0';
  if (len && out[0] == '/') return out;
  free(out);
  return NULL;
}

/* o->root_in_repo: where the root sits in its git work tree. */
static void set_root_in_repo(ll_options *o) {
  char *const args[] = {"rev-parse", "--show-prefix", NULL};
  char *out = NULL;
  size_t len = 0;
  free(o->root_in_repo);
  o->root_in_repo = NULL;
  if (ll_discover_git(o->root, args, &out, &len) == 0) {
    while (len && (out[len - 1] == '\n' || out[len - 1] == '\r')) out[--len] = '\0';
    o->root_in_repo = out;
    return;
  }
  free(out);
}

/* o->root: what is asked (--root, else the config's), else the git top
 * level, else the current directory; canonical, so that a checkout reached
 * through a symbolic link gives the same paths. 0, or -1 with *err. */
static int resolve_root(ll_options *o, const char *from_config, char **err) {
  char *want = o->root_arg ? ll_xstrdup(o->root_arg)
               : from_config ? ll_xstrdup(from_config) : git_toplevel();
  const char *what = o->root_arg ? "--root" : from_config ? "the config's root" : NULL;
  char *real = realpath(want ? want : ".", NULL);
  struct stat st;
  int rc = 0;
  if (!real || stat(real, &st) != 0 || !S_ISDIR(st.st_mode)) {
    *err = ll_xasprintf("%s %s: %s", what ? what : "root", want ? want : ".",
                        real ? "not a directory" : strerror(errno));
    rc = -1;
  } else {
    free(o->root);
    o->root = real;
    real = NULL;
    if (o->format == LL_FMT_SARIF) set_root_in_repo(o);
  }
  free(real);
  free(want);
  return rc;
}

char *ll_config_default_root(void) {
  char *cfg = find_upward();
  char *root = NULL;
  if (cfg) {
    char *slash = strrchr(cfg, '/');
    root = !slash ? ll_xstrdup(".") : slash == cfg ? ll_xstrdup("/")
                                                   : ll_xstrndup(cfg, (size_t)(slash - cfg));
    free(cfg);
  } else {
    root = git_toplevel();
  }
  char *real = realpath(root ? root : ".", NULL);
  free(root);
  return real ? real : ll_xstrdup("/");
}

int ll_config_load(ll_options *o, char **err) {
  *err = NULL;
  char *path = o->config ? ll_xstrdup(o->config) : find_upward();
  if (!path) {
    resolve_cache(o);
    return resolve_root(o, NULL, err);
  }
  cfg_ctx c = {path, NULL, NULL, NULL};
  char *slash = strrchr(path, '/');
  c.dir = !slash ? ll_xstrdup(".") : slash == path ? ll_xstrdup("/")
                                                   : ll_xstrndup(path, (size_t)(slash - path));
  char *text = NULL;
  size_t len = 0;
  int rc = ll_read_bounded(path, LL_READ_CONFIG, &text, &len, NULL);
  int result = 0;
  if (rc < 0) {
    fail(&c, NULL, "%s", ll_read_strerror(rc, LL_READ_CONFIG));
    result = -1;
  } else {
    const char *end = NULL;
    cJSON *root = cJSON_ParseWithLengthOpts(text, len, &end, 0);
    if (!root) {
      unsigned line, col;
      size_t off = end && end >= text && end <= text + len ? (size_t)(end - text) : 0;
      /* cJSON reports the end of the input as its last byte: one more
         parse with a blank appended tells the two apart */
      if (off + 1 == len) {
        char *padded = ll_xmalloc(len + 2);
        memcpy(padded, text, len);
        memcpy(padded + len, " ", 2);
        const char *pend = NULL;
        cJSON *again = cJSON_ParseWithLengthOpts(padded, len + 1, &pend, 0);
        if (!again && pend == padded + len) off = len;
        cJSON_Delete(again);
        free(padded);
      }
      char why[96];
      json_reason(text, len, off, why, sizeof why);
      if (off > 0 && off < len && text[off - 1] == '\'') off--; /* cJSON stops past it */
      offset_to_linecol(text, off, &line, &col);
      fail(&c, NULL, "invalid JSON at %u:%u: %s", line, col, why);
      result = -1;
    } else {
      /* only whitespace may follow the value */
      const char *p = end ? end : text + len;
      while (p < text + len && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')) p++;
      if (p < text + len) {
        unsigned line, col;
        offset_to_linecol(text, (size_t)(p - text), &line, &col);
        fail(&c, NULL, "invalid JSON at %u:%u: unexpected text after the value", line, col);
        result = -1;
      } else {
        result = merge(&c, root, o);
      }
      cJSON_Delete(root);
    }
  }
  free(text);
  free(c.dir);
  if (result < 0) {
    *err = c.err;
    free(c.root);
    free(path);
    return -1;
  }
  free(c.err);
  free(o->config_path);
  o->config_path = path;
  resolve_cache(o);
  result = resolve_root(o, c.root, err);
  free(c.root);
  return result;
}

void ll_config_ignore_cache_dir(const char *dir) {
  char *path = ll_xasprintf("%s/.gitignore", dir);
  /* O_EXCL: a .gitignore the user wrote is never replaced */
  int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
  free(path);
  if (fd < 0) return;
  static const char text[] = "# written by leaklint: the cache is not source\n*\n";
  ssize_t w = write(fd, text, sizeof text - 1);
  (void)w;
  close(fd);
}

/* ---- --show-settings ---- */

typedef struct show_ctx {
  cJSON *settings, *lists;
  const char *config; /* source name of config values */
} show_ctx;

static void show_value(show_ctx *s, const char *name, cJSON *value, const char *source) {
  cJSON *o = cJSON_CreateObject();
  cJSON_AddItemToObject(o, "value", value);
  cJSON_AddStringToObject(o, "source", source);
  cJSON_AddItemToObject(s->settings, name, o);
}

static const char *str_source(const show_ctx *s, const char *cli, const char *merged) {
  if (!merged) return "default";
  if (cli && strcmp(cli, merged) == 0) return "command line";
  return s->config;
}

static void show_str(show_ctx *s, const char *name, const char *cli, const char *merged) {
  show_value(s, name, merged ? cJSON_CreateString(merged) : cJSON_CreateNull(),
             str_source(s, cli, merged));
}

/* Each item of a list with its own source: the command line's items, then
 * (or before them) the config's. */
static void show_list(show_ctx *s, const char *name, const ll_strlist *cli,
                      const ll_strlist *merged) {
  cJSON *arr = cJSON_AddArrayToObject(s->lists, name);
  for (size_t i = 0; i < merged->n; i++) {
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "value", merged->v[i]);
    cJSON_AddStringToObject(o, "source",
                            ll_strlist_contains(cli, merged->v[i]) ? "command line" : s->config);
    cJSON_AddItemToArray(arr, o);
  }
}

/* A level is set when rule_level exists and holds a level (unset = (ll_level)-1). */
static int level_set(const ll_options *o, size_t i) {
  return o->rule_level && o->rule_level[i] != (ll_level)-1;
}

static void show_levels(show_ctx *s, const ll_options *cli, const ll_options *merged) {
  cJSON *arr = cJSON_AddArrayToObject(s->lists, "level");
  for (size_t i = 0; i < ll_registry_count(); i++) {
    if (!level_set(merged, i)) continue;
    char *v = ll_xasprintf("%s=%s", ll_registry_at(i)->id, ll_level_name(merged->rule_level[i]));
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "value", v);
    cJSON_AddStringToObject(o, "source", level_set(cli, i) ? "command line" : s->config);
    cJSON_AddItemToArray(arr, o);
    free(v);
  }
}

static const char *cache_source(const show_ctx *s, const ll_options *cli, const ll_options *m) {
  if (cli->no_cache || cli->cache_dir) return "command line";
  if (m->no_cache) return s->config;
  char *def = ll_cache_default_dir();
  int is_default = def && m->cache_dir && strcmp(def, m->cache_dir) == 0;
  free(def);
  return is_default || !m->cache_dir ? "default" : s->config;
}

static int show_text(FILE *out, const cJSON *doc) {
  const cJSON *cfg = cJSON_GetObjectItem(doc, "config");
  fprintf(out, "config: %s\n", cJSON_IsString(cfg) ? cfg->valuestring : "(none found)");
  for (const cJSON *e = cJSON_GetObjectItem(doc, "settings")->child; e; e = e->next) {
    const cJSON *v = cJSON_GetObjectItem(e, "value");
    char *text = cJSON_IsString(v) ? ll_xstrdup(v->valuestring) : cJSON_PrintUnformatted(v);
    fprintf(out, "%-20s %s  [%s]\n", e->string, text ? text : "?",
            cJSON_GetObjectItem(e, "source")->valuestring);
    if (cJSON_IsString(v)) free(text);
    else cJSON_free(text);
  }
  for (const cJSON *l = cJSON_GetObjectItem(doc, "lists")->child; l; l = l->next) {
    if (!l->child) fprintf(out, "%-20s (none)\n", l->string);
    for (const cJSON *e = l->child; e; e = e->next)
      fprintf(out, "%-20s %s  [%s]\n", e == l->child ? l->string : "",
              cJSON_GetObjectItem(e, "value")->valuestring,
              cJSON_GetObjectItem(e, "source")->valuestring);
  }
  return fflush(out) == 0 && !ferror(out) ? 0 : -1;
}

int ll_config_show(FILE *out, const ll_options *cli, const ll_options *merged, int json) {
  cJSON *doc = cJSON_CreateObject();
  if (merged->config_path) cJSON_AddStringToObject(doc, "config", merged->config_path);
  else cJSON_AddNullToObject(doc, "config");
  show_ctx s = {cJSON_AddObjectToObject(doc, "settings"), cJSON_AddObjectToObject(doc, "lists"),
                merged->config_path ? merged->config_path : "config"};
  show_str(&s, "compile_commands", cli->compile_commands, merged->compile_commands);
  show_value(&s, "root", cJSON_CreateString(merged->root ? merged->root : "."),
             cli->root_arg ? "command line" : merged->config_path ? s.config : "default");
  show_value(&s, "cache", merged->no_cache || !merged->cache_dir
                              ? cJSON_CreateFalse() : cJSON_CreateString(merged->cache_dir),
             cache_source(&s, cli, merged));
  show_value(&s, "allow_parse_errors", cJSON_CreateBool(merged->allow_parse_errors),
             cli->allow_parse_errors ? "command line"
             : merged->allow_parse_errors ? s.config : "default");
  show_value(&s, "models", merged->inline_models ? cJSON_CreateString(merged->inline_models_origin)
                                                 : cJSON_CreateNull(),
             merged->inline_models ? s.config : "default");
  show_list(&s, "select", &cli->select, &merged->select);
  show_list(&s, "ignore", &cli->ignore, &merged->ignore);
  show_levels(&s, cli, merged);
  show_list(&s, "exclude", &cli->excludes, &merged->excludes);
  show_list(&s, "args", &cli->compiler_args, &merged->compiler_args);
  show_list(&s, "rule_packs", &cli->rule_dirs, &merged->rule_dirs);
  int rc = json ? ll_json_write(out, doc) : show_text(out, doc);
  cJSON_Delete(doc);
  return rc;
}
