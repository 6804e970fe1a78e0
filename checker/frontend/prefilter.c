/* prefilter.c - identifier scan of a file and its project headers before
 * parsing (see prefilter.h), the include walker the cache reuses, and the
 * shard selector. */
#include "prefilter.h"

#include <pthread.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ptrmap.h"
#include "util.h"

/* ---- string set: a string ptrmap owning its keys ---- */

typedef struct strset {
  ll_ptrmap *m;
} strset;

static uint64_t hash_n(const char *s, size_t n) { return ll_hash64(s, n, LL_HASH_SEED); }

static size_t strset_count(const strset *s) { return s->m ? ll_ptrmap_count(s->m) : 0; }

static int strset_has(const strset *s, const char *k, size_t n) { return s->m && ll_ptrmap_has_n(s->m, k, n); }

static void strset_add(strset *s, const char *k, size_t n) {
  if (!n || strset_has(s, k, n)) return;
  if (!s->m) s->m = ll_ptrmap_new_str();
  char *copy = ll_xstrndup(k, n);
  ll_ptrmap_put(s->m, copy, copy);
}

static void strset_free(strset *s) {
  void *copy;
  for (size_t pos = 0; s->m && ll_ptrmap_next(s->m, &pos, NULL, &copy);) free(copy);
  ll_ptrmap_free(s->m);
  s->m = NULL;
}

/* ---- tokenizer ---- */

typedef struct incl {
  char *name;
  int angle;
  int cond; /* inside an #if/#ifdef/#ifndef block (other than the include guard) */
} incl;

typedef struct scan_out {
  const strset *sets[2]; /* [0] C identifiers, [1] C++ identifiers (may be NULL) */
  int hit[2];            /* a hit outside #define bodies */
  strset macros[2];      /* macros whose #define body has a hit */
  LL_VEC(incl) incs;
  /* the #define being scanned (body tokens count for the macro) */
  const char *mac;
  size_t mac_len;
  /* second pass: look only for these macro names (uses) */
  const strset *uses;
  int used;
  size_t skip_at; /* offset of a #define's own name (not a use) */
  /* nesting outside #define bodies, for file-scope declarators (see c_non_call) */
  int braces, parens;  /* open { (extern "C" blocks excluded) and ( */
  uint64_t xc;         /* bit i: the brace at stack level i opened an extern "C" block */
  int level;           /* brace stack level (extern "C" included) */
  int desync;          /* more closers than openers were seen: nesting unknown */
  /* preprocessor conditionals, for incl.cond */
  int cond;               /* #if nesting depth */
  int guard;              /* 1 while inside the file's include guard (depth 1) */
  const char *guard_name; /* #ifndef NAME at depth 0: a guard when #define NAME follows */
  size_t guard_len;
} scan_out;

static int id_start(unsigned char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == '$'; }
static int id_char(unsigned char c) { return id_start(c) || (c >= '0' && c <= '9'); }

static int is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

/* In C, `x.close`, `p->close` and the declarator `(*close)(...)` cannot be
 * a call of the pack function `close` (C has no methods), and neither can a
 * function declarator at file scope: a name after a type (an identifier or
 * `*`) and before `(`, outside any brace or parenthesis, such as
 * `unsigned int sleep(unsigned int);` in a compatibility header. Such
 * spellings do not count for the C identifier set; C++ counts every spelling.
 * Preprocessor branches are not evaluated and macros may hide braces, so
 * nesting is an estimate; requiring a type before the name keeps calls
 * (`close(fd);`, `return close(fd);`, `(void)close(fd)`) counted even where
 * the estimate is wrong, and when closers ever outnumber openers the
 * file-scope test is off for the rest of the file. */
static int file_scope_declarator(const scan_out *o, const char *t, size_t len, size_t b, size_t n) {
  if (o->mac || o->desync || o->braces != 0 || o->parens != 0) return 0;
  size_t e = b + n;
  while (e < len && is_space(t[e])) e++;
  if (e >= len || t[e] != '(') return 0;
  size_t i = b;
  while (i > 0 && is_space(t[i - 1])) i--;
  if (i == 0) return 0;
  if (t[i - 1] == '*') return 1;
  if (!id_char((unsigned char)t[i - 1])) return 0;
  size_t k = i;
  while (k > 0 && id_char((unsigned char)t[k - 1])) k--;
  static const char *const stmt_words[] = {"return", "else", "do", "case", "goto", "sizeof", "typeof",
                                           "__typeof__", "defined", "_Alignof", "alignof", NULL};
  for (int w = 0; stmt_words[w]; w++)
    if (strlen(stmt_words[w]) == i - k && !strncmp(t + k, stmt_words[w], i - k)) return 0;
  return 1;
}

static int c_non_call(const scan_out *o, const char *t, size_t len, size_t b, size_t n) {
  if (file_scope_declarator(o, t, len, b, n)) return 1;
  size_t i = b;
  while (i > 0 && is_space(t[i - 1])) i--;
  if (i > 0 && t[i - 1] == '.' && !(i > 1 && t[i - 2] == '.')) return 1;
  if (i > 1 && t[i - 1] == '>' && t[i - 2] == '-') return 1;
  if (i > 0 && t[i - 1] == '*') {
    size_t k = i - 1;
    while (k > 0 && is_space(t[k - 1])) k--;
    if (k > 0 && t[k - 1] == '(') {
      size_t e = b + n;
      while (e < len && is_space(t[e])) e++;
      if (e < len && t[e] == ')') {
        e++;
        while (e < len && is_space(t[e])) e++;
        if (e < len && t[e] == '(') return 1;
      }
    }
  }
  return 0;
}

static void on_ident(scan_out *o, const char *t, size_t len, size_t b, size_t n) {
  if (o->uses) {
    if (b != o->skip_at && strset_has(o->uses, t + b, n)) o->used = 1;
    return;
  }
  for (int k = 0; k < 2; k++) {
    if (!o->sets[k] || !strset_has(o->sets[k], t + b, n) || (k == 0 && c_non_call(o, t, len, b, n))) continue;
    if (o->mac) {
      strset_add(&o->macros[k], o->mac, o->mac_len);
    } else {
      o->hit[k] = 1;
    }
#ifdef LL_PREFILTER_DEBUG
    fprintf(stderr, "prefilter: %s hit '%.*s'%s%.*s\n", k ? "c++" : "c", (int)n, t + b,
            o->mac ? " in macro " : "", (int)o->mac_len, o->mac ? o->mac : "");
#endif
  }
}

/* Parses `#include "x"` / `<x>` (also include_next, import) at p (just after
 * the '#'); returns the position after the directive's name. */
static size_t directive(scan_out *o, const char *t, size_t len, size_t p) {
  while (p < len && (t[p] == ' ' || t[p] == '\t')) p++;
  size_t b = p;
  while (p < len && id_char((unsigned char)t[p])) p++;
  size_t n = p - b;
  int is_inc = (n == 7 && !strncmp(t + b, "include", 7)) || (n == 12 && !strncmp(t + b, "include_next", 12)) ||
               (n == 6 && !strncmp(t + b, "import", 6));
  const char *guard = o->guard_name;
  o->guard_name = NULL; /* only the directive right after the #ifndef makes a guard */
  if ((n == 2 && !strncmp(t + b, "if", 2)) || (n == 5 && !strncmp(t + b, "ifdef", 5)) ||
      (n == 6 && !strncmp(t + b, "ifndef", 6))) {
    if (n == 6 && o->cond == 0) {
      size_t q = p;
      while (q < len && (t[q] == ' ' || t[q] == '\t')) q++;
      size_t nb = q;
      while (q < len && id_char((unsigned char)t[q])) q++;
      o->guard_name = t + nb;
      o->guard_len = q - nb;
    }
    o->cond++;
    return b;
  }
  if (n == 5 && !strncmp(t + b, "endif", 5)) {
    if (o->cond > 0 && --o->cond == 0) o->guard = 0;
    return b;
  }
  if (n == 6 && !strncmp(t + b, "define", 6)) {
    while (p < len && (t[p] == ' ' || t[p] == '\t')) p++;
    size_t nb = p;
    while (p < len && id_char((unsigned char)t[p])) p++;
    if (guard && o->cond == 1 && p - nb == o->guard_len && !strncmp(t + nb, guard, o->guard_len))
      o->guard = 1;
    if (p > nb) {
      o->mac = t + nb;
      o->mac_len = p - nb;
      o->skip_at = nb;
      return nb; /* the name itself is scanned as an identifier (a use in pass 2 is skipped) */
    }
    return p;
  }
  if (!is_inc) return b; /* let the identifiers of other directives be scanned */
  while (p < len && (t[p] == ' ' || t[p] == '\t')) p++;
  if (p >= len || (t[p] != '"' && t[p] != '<')) return p; /* computed include: its macro is scanned */
  char close = t[p] == '"' ? '"' : '>';
  size_t s = ++p;
  while (p < len && t[p] != close && t[p] != '\n') p++;
  if (p < len && t[p] == close && p > s) {
    incl in = {ll_xstrndup(t + s, p - s), close == '>', o->cond - o->guard > 0};
    LL_VEC_PUSH(&o->incs, in);
    p++;
  }
  return p;
}

/* After the identifier `extern` ending at p: extern "C" { ... } does not
 * nest what it declares, so its brace opens a level that is not a block.
 * Returns where scanning goes on. */
static size_t extern_c_open(scan_out *o, const char *t, size_t len, size_t p) {
  size_t q = p;
  while (q < len && is_space(t[q])) q++;
  if (!(q + 2 < len && t[q] == '"' && t[q + 1] == 'C' && t[q + 2] == '"')) return p;
  q += 3;
  while (q < len && is_space(t[q])) q++;
  if (q >= len || t[q] != '{') return p;
  if (o->level < 64) o->xc |= (uint64_t)1 << o->level;
  o->level++;
  return q + 1;
}

/* Brace and parenthesis nesting outside macro bodies; an unmatched closer
 * marks the scan as out of step with the real structure. */
static void nest(scan_out *o, unsigned char c) {
  if (c == '{') {
    if (o->level < 64) o->xc &= ~((uint64_t)1 << o->level);
    o->level++;
    o->braces++;
  } else if (c == '}') {
    if (o->level == 0) {
      o->desync = 1;
    } else {
      o->level--;
      if (o->level < 64 && (o->xc >> o->level & 1))
        o->xc &= ~((uint64_t)1 << o->level);
      else if (o->braces > 0)
        o->braces--;
      else
        o->desync = 1;
    }
  } else if (c == '(') {
    o->parens++;
  } else if (c == ')') {
    if (o->parens > 0)
      o->parens--;
    else
      o->desync = 1;
  }
}

/* One pass over the text: identifiers outside comments and literals, and
 * include directives. cxx enables raw string literals. */
static void scan_text(scan_out *o, const char *t, size_t len, int cxx) {
  size_t p = 0;
  int line_start = 1;
  while (p < len) {
    unsigned char c = (unsigned char)t[p];
    if (c == '\n') {
      int cont = (p > 0 && t[p - 1] == '\\') || (p > 1 && t[p - 1] == '\r' && t[p - 2] == '\\');
      if (!cont) {
        line_start = 1;
        o->mac = NULL;
      }
      p++;
      continue;
    }
    if (c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v') {
      p++;
      continue;
    }
    if (c == '#' && line_start) {
      line_start = 0;
      p = directive(o, t, len, p + 1);
      continue;
    }
    line_start = 0;
    if (c == '/' && p + 1 < len && t[p + 1] == '/') {
      while (p < len && t[p] != '\n') {
        if (t[p] == '\\' && p + 1 < len && t[p + 1] == '\n') p++;
        else if (t[p] == '\\' && p + 2 < len && t[p + 1] == '\r' && t[p + 2] == '\n') p += 2;
        p++;
      }
      continue;
    }
    if (c == '/' && p + 1 < len && t[p + 1] == '*') {
      p += 2;
      while (p + 1 < len && !(t[p] == '*' && t[p + 1] == '/')) p++;
      p = p + 2 < len ? p + 2 : len;
      continue;
    }
    if (c == '"' || c == '\'') {
      p++;
      while (p < len && (unsigned char)t[p] != c && t[p] != '\n') {
        if (t[p] == '\\' && p + 1 < len) p++;
        p++;
      }
      if (p < len) p++;
      continue;
    }
    if (c >= '0' && c <= '9') {
      while (p < len && (id_char((unsigned char)t[p]) || t[p] == '.' || t[p] == '\'' ||
                         ((t[p] == '+' || t[p] == '-') && (t[p - 1] == 'e' || t[p - 1] == 'E' ||
                                                            t[p - 1] == 'p' || t[p - 1] == 'P'))))
        p++;
      continue;
    }
    if (id_start(c)) {
      size_t b = p;
      while (p < len && id_char((unsigned char)t[p])) p++;
      size_t n = p - b;
      if (cxx && p < len && t[p] == '"' && t[p - 1] == 'R' &&
          (n == 1 || (n == 2 && (t[b] == 'u' || t[b] == 'U' || t[b] == 'L')) ||
           (n == 3 && t[b] == 'u' && t[b + 1] == '8'))) {
        /* raw string R"delim( ... )delim" */
        size_t d = p + 1, de = d;
        while (de < len && t[de] != '(' && de - d <= 16) de++;
        if (de < len && t[de] == '(') {
          size_t dl = de - d;
          size_t q = de + 1;
          for (; q < len; q++) {
            if (t[q] == ')' && q + 1 + dl < len && !strncmp(t + q + 1, t + d, dl) && t[q + 1 + dl] == '"')
              break;
          }
          p = q < len ? q + dl + 2 : len;
          continue;
        }
      }
      on_ident(o, t, len, b, n);
      if (!o->mac && n == 6 && !strncmp(t + b, "extern", 6)) p = extern_c_open(o, t, len, p);
      continue;
    }
    if (!o->mac) nest(o, c);
    p++;
  }
}

/* ---- the prefilter ---- */

typedef struct memo_ent {
  char *path;
  int readable;
  int hit[2];
  char **macros[2]; /* macros whose body hits, per language */
  size_t nmacros[2];
  incl *incs;
  size_t nincs;
  /* pass 2 memo: the answer for the last macro set asked about */
  uint64_t use_key;
  int use_valid, use_res;
} memo_ent;

static void free_ent(memo_ent *e);

/* Shared by the parse workers: the map (path -> entry, keyed by the entry's
 * own copy of the path) under mu; an entry, once in, lives as long as the
 * prefilter, so a worker reads it after unlocking. */
typedef struct memo {
  pthread_mutex_t mu;
  ll_ptrmap *byp;
} memo;

struct ll_prefilter {
  strset ids[2];
  memo *m;
};

static void add_last(strset *s, const char *q) {
  if (!q) return;
  const char *last = q;
  for (const char *p = q; *p; p++)
    if (p[0] == ':' && p[1] == ':') last = p + 2;
  /* "operator<<" and friends are not identifiers; the class name covers them */
  if (!strncmp(last, "operator", 8) && last[8] && !id_char((unsigned char)last[8])) return;
  size_t n = 0;
  while (last[n] && id_char((unsigned char)last[n])) n++;
  strset_add(s, last, n);
}

static void add_idents(strset *s, const char *text) {
  /* every identifier of a spelling (spellings are macro names, but be safe) */
  for (const char *p = text; p && *p;) {
    if (id_start((unsigned char)*p)) {
      const char *b = p;
      while (*p && id_char((unsigned char)*p)) p++;
      strset_add(s, b, (size_t)(p - b));
    } else {
      p++;
    }
  }
}

ll_prefilter *ll_prefilter_new(const ll_rules *rules) {
  ll_prefilter *pf = ll_xcalloc(1, sizeof *pf);
  pf->m = ll_xcalloc(1, sizeof *pf->m);
  pf->m->byp = ll_ptrmap_new_str();
  pthread_mutex_init(&pf->m->mu, NULL);
  size_t n = rules ? ll_rules_count(rules) : 0;
  for (size_t i = 0; i < n; i++) {
    const ll_api *a = ll_rules_at(rules, i);
    /* C++ sees everything */
    add_last(&pf->ids[1], a->name);
    add_last(&pf->ids[1], a->callee);
    add_last(&pf->ids[1], a->epilogue);
    /* C: only plain functions and macro brackets can appear */
    int c_ok = (a->match == LL_MATCH_FUNCTION || a->match == LL_MATCH_BRACKET) && a->name &&
               !strstr(a->name, "::");
    if (c_ok) {
      add_last(&pf->ids[0], a->name);
      add_last(&pf->ids[0], a->callee);
      add_last(&pf->ids[0], a->epilogue);
    }
    for (const char *const *sp = a->spellings; sp && *sp; sp++) {
      add_idents(&pf->ids[0], *sp);
      add_idents(&pf->ids[1], *sp);
    }
  }
  return pf;
}

ll_prefilter *ll_prefilter_new_names(const char *const *names, size_t n) {
  ll_prefilter *pf = ll_xcalloc(1, sizeof *pf);
  pf->m = ll_xcalloc(1, sizeof *pf->m);
  pf->m->byp = ll_ptrmap_new_str();
  pthread_mutex_init(&pf->m->mu, NULL);
  for (size_t i = 0; i < n; i++) {
    /* a project function: callable by its name from C and C++ alike */
    add_last(&pf->ids[0], names[i]);
    add_last(&pf->ids[1], names[i]);
  }
  return pf;
}

void ll_prefilter_free(ll_prefilter *pf) {
  if (!pf) return;
  void *e;
  for (size_t pos = 0; pf->m->byp && ll_ptrmap_next(pf->m->byp, &pos, NULL, &e);) free_ent(e);
  ll_ptrmap_free(pf->m->byp);
  pthread_mutex_destroy(&pf->m->mu);
  free(pf->m);
  strset_free(&pf->ids[0]);
  strset_free(&pf->ids[1]);
  free(pf);
}

static void free_ent(memo_ent *e) {
  for (size_t k = 0; k < e->nincs; k++) free(e->incs[k].name);
  free(e->incs);
  for (int l = 0; l < 2; l++) {
    for (size_t k = 0; k < e->nmacros[l]; k++) free(e->macros[l][k]);
    free(e->macros[l]);
  }
  free(e->path);
  free(e);
}

/* Scans a file (memoised when m != NULL). The returned entry is owned by the
 * memo, or by the caller (free_ent) when m == NULL. */
static memo_ent *scan_file(const ll_prefilter *pf, memo *m, const char *path, int cxx) {
  if (m) {
    pthread_mutex_lock(&m->mu);
    memo_ent *known = ll_ptrmap_get(m->byp, path);
    pthread_mutex_unlock(&m->mu);
    if (known) return known;
  }
  memo_ent *e = ll_xcalloc(1, sizeof *e);
  e->path = ll_xstrdup(path);
  char *text = NULL;
  size_t len = 0;
  if (ll_read_file(path, &text, &len) == 0) {
    e->readable = 1;
    scan_out o = {{pf ? &pf->ids[0] : NULL, pf ? &pf->ids[1] : NULL}, {0, 0}, {{0}}, {0}};
    o.skip_at = (size_t)-1;
    /* raw strings only exist in C++; a header scanned first from C is
       scanned without them, which can only find more identifiers */
    scan_text(&o, text, len, cxx);
    e->hit[0] = o.hit[0];
    e->hit[1] = o.hit[1];
    for (int k = 0; k < 2; k++) {
      const ll_ptrmap *mm = o.macros[k].m;
      e->macros[k] = ll_xcalloc((mm ? ll_ptrmap_count(mm) : 0) + 1, sizeof(char *));
      void *name;
      for (size_t pos = 0; mm && ll_ptrmap_next(mm, &pos, NULL, &name);)
        e->macros[k][e->nmacros[k]++] = ll_xstrdup(name);
      strset_free(&o.macros[k]);
    }
    e->incs = o.incs.v;
    e->nincs = o.incs.n;
    free(text);
  }
  if (!m) return e;
  pthread_mutex_lock(&m->mu);
  memo_ent *x = ll_ptrmap_get(m->byp, path);
  if (!x) ll_ptrmap_put(m->byp, e->path, e);
  pthread_mutex_unlock(&m->mu);
  if (!x) return e;
  free_ent(e); /* another worker was faster */
  return x;
}


/* ---- compiler arguments that matter for includes ---- */

typedef struct inc_args {
  ll_strlist quote, dirs, forced; /* dirs: -I, -isystem, -idirafter in search order */
  ll_strlist sys;                 /* -isystem, also when not followed (quoted_missing) */
  int cxx;
} inc_args;

static char *in_workdir(const char *workdir, const char *p) {
  if (p[0] == '/' || !workdir || !*workdir) return ll_xstrdup(p);
  return ll_xasprintf("%s/%s", workdir, p);
}

static int has_suffix(const char *s, const char *suf) {
  size_t a = strlen(s), b = strlen(suf);
  return a >= b && !strcmp(s + a - b, suf);
}

static int lang_is_cxx(const char *x) { return strstr(x, "c++") != NULL; }

/* follow_sys: also search -isystem directories. clang treats their headers
 * as system headers (facts.c extracts nothing from them, and their macros are
 * covered by the packs' spellings), so the filter does not scan them; the
 * cache still lists them as dependencies. */
static void parse_args(const char *file, const ll_strlist *args, const char *workdir, int follow_sys,
                       inc_args *ia) {
  memset(ia, 0, sizeof *ia);
  ll_strlist sys = {0}, after = {0}, idirs = {0};
  int lang = -1; /* -1 unknown, 0 C, 1 C++ */
  int std_cxx = -1;
  size_t n = args ? args->n : 0;
  for (size_t i = 0; i < n; i++) {
    const char *a = args->v[i];
    const char *next = i + 1 < n ? args->v[i + 1] : NULL;
    struct { const char *flag; ll_strlist *to; } dirflags[] = {
      {"-iquote", &ia->quote}, {"-isystem", &sys}, {"-idirafter", &after},
      {"-include", &ia->forced}, {"-imacros", &ia->forced}, {"-I", &idirs},
      {"--include-directory=", &idirs}, {"--include-directory", &idirs}};
    int matched = 0;
    for (size_t k = 0; k < sizeof dirflags / sizeof dirflags[0] && !matched; k++) {
      size_t fl = strlen(dirflags[k].flag);
      if (strncmp(a, dirflags[k].flag, fl) != 0) continue;
      const char *v = a[fl] ? a + fl : NULL;
      if (!v && dirflags[k].flag[fl - 1] != '=') {
        v = next;
        if (v) i++;
      }
      if (v && *v) {
        char *p = in_workdir(workdir, v);
        ll_strlist_push(dirflags[k].to, p);
        free(p);
      }
      matched = 1;
    }
    if (matched) continue;
    if (!strcmp(a, "-x") && next) {
      lang = lang_is_cxx(next);
      i++;
    } else if (!strncmp(a, "-x", 2) && a[2]) {
      lang = lang_is_cxx(a + 2);
    } else if (!strncmp(a, "-std=", 5)) {
      std_cxx = strstr(a, "++") != NULL;
    } else if (!strcmp(a, "--driver-mode=g++")) {
      std_cxx = 1;
    }
  }
  if (lang < 0) lang = std_cxx;
  if (lang < 0) {
    static const char *const cxx_ext[] = {".cpp", ".cc", ".cxx", ".c++", ".C", ".mm", ".cppm", ".ixx",
                                          ".hpp", ".hh", ".hxx", ".ipp", ".tcc"};
    lang = 0;
    for (size_t k = 0; k < sizeof cxx_ext / sizeof cxx_ext[0]; k++)
      if (has_suffix(file, cxx_ext[k])) lang = 1;
  }
  ia->cxx = lang;
  for (size_t i = 0; i < idirs.n; i++) ll_strlist_push(&ia->dirs, idirs.v[i]);
  for (size_t i = 0; follow_sys && i < sys.n; i++) ll_strlist_push(&ia->dirs, sys.v[i]);
  for (size_t i = 0; i < sys.n; i++) ll_strlist_push(&ia->sys, sys.v[i]);
  for (size_t i = 0; i < after.n; i++) ll_strlist_push(&ia->dirs, after.v[i]);
  ll_strlist_free(&idirs);
  ll_strlist_free(&sys);
  ll_strlist_free(&after);
}

static void free_args(inc_args *ia) {
  ll_strlist_free(&ia->sys);
  ll_strlist_free(&ia->quote);
  ll_strlist_free(&ia->dirs);
  ll_strlist_free(&ia->forced);
}

static int is_file(const char *p) {
  struct stat st;
  /* anything clang would open (a FIFO too: run.c refuses to parse then) */
  return stat(p, &st) == 0 && !S_ISDIR(st.st_mode);
}

static int outside_project(const char *p) { return !strncmp(p, "/usr/", 5); }

static char *join(const char *dir, const char *name) {
  if (!dir || !*dir) return ll_xstrdup(name);
  size_t n = strlen(dir);
  return ll_xasprintf("%s%s%s", dir, dir[n - 1] == '/' ? "" : "/", name);
}

static char *dir_of(const char *path) {
  const char *s = strrchr(path, '/');
  if (!s) return ll_xstrdup("");
  if (s == path) return ll_xstrdup("/");
  return ll_xstrndup(path, (size_t)(s - path));
}

/* The file an include names, or NULL (missing, or a system header). */
static char *resolve(const inc_args *ia, const char *includer, const incl *in) {
  if (in->name[0] == '/') return is_file(in->name) && !outside_project(in->name) ? ll_xstrdup(in->name) : NULL;
  char *found = NULL;
  if (!in->angle) {
    char *d = dir_of(includer);
    char *p = join(d, in->name);
    free(d);
    if (is_file(p)) found = p;
    else free(p);
    for (size_t i = 0; !found && i < ia->quote.n; i++) {
      p = join(ia->quote.v[i], in->name);
      if (is_file(p)) found = p;
      else free(p);
    }
  }
  for (size_t i = 0; !found && i < ia->dirs.n; i++) {
    char *p = join(ia->dirs.v[i], in->name);
    if (is_file(p)) found = p;
    else free(p);
  }
  if (found && outside_project(found)) {
    free(found);
    found = NULL;
  }
  return found;
}

static int in_any(const ll_strlist *dirs, const char *name) {
  int hit = 0;
  for (size_t i = 0; !hit && i < dirs->n; i++) {
    char *p = join(dirs->v[i], name);
    hit = is_file(p);
    free(p);
  }
  return hit;
}

/* A quoted include clang cannot find anywhere: not beside the includer, not
 * on -iquote/-I/-isystem/-idirafter, not in the usual system directories.
 * The file fails to parse then, and skipping it would hide that error (a
 * missing generated config.h). Only unconditional includes count (outside
 * every #if block but the include guard): a platform's header under #ifdef
 * is missing on every other platform, and the filter does not evaluate
 * conditions. Angle includes are not checked (clang's own headers live in
 * places only it knows). */
static int quoted_missing(const inc_args *ia, const char *includer, const incl *in) {
  static const char *const k_sys[] = {"/usr/local/include", "/usr/include",
                                      "/usr/include/x86_64-linux-gnu",
                                      "/usr/include/aarch64-linux-gnu"};
  if (in->angle) return 0;
  if (in->name[0] == '/') return !is_file(in->name);
  char *d = dir_of(includer);
  char *p = join(d, in->name);
  int found = is_file(p);
  free(p);
  free(d);
  found = found || in_any(&ia->quote, in->name) || in_any(&ia->dirs, in->name) ||
          in_any(&ia->sys, in->name);
  for (size_t i = 0; !found && i < sizeof k_sys / sizeof k_sys[0]; i++) {
    p = join(k_sys[i], in->name);
    found = is_file(p);
    free(p);
  }
  return !found;
}

/* Depth-first walk over the include graph. Returns 1 as soon as a file hits
 * (when stop_on_hit), else 0. Every visited file goes into `seen`. */
typedef struct walk {
  const ll_prefilter *pf;
  memo *m;
  const inc_args *ia;
  strset seen;   /* visited */
  strset seen_u; /* visited through unconditional includes only (quoted_missing) */
  LL_VEC(char *) order;
  int stop_on_hit;
  strset hit_macros; /* macros with a hit in their body, defined in visited files */
} walk;

/* cond: reached through a conditional include (a header included under
 * #ifdef __MVS__ includes zos-base.h unconditionally, and is as conditional).
 * A file first reached conditionally is walked again when reached
 * unconditionally, so that its missing includes are still seen. */
static int visit(walk *w, const char *path, int cond) {
  size_t n = strlen(path);
  if (strset_has(cond ? &w->seen : &w->seen_u, path, n)) return 0;
  if (!strset_has(&w->seen, path, n)) {
    strset_add(&w->seen, path, n);
    LL_VEC_PUSH(&w->order, ll_xstrdup(path));
  }
  if (!cond) strset_add(&w->seen_u, path, n);
  memo_ent *e = scan_file(w->pf, w->m, path, w->ia->cxx);
  int r = 0;
  if (e->readable) {
    if (w->stop_on_hit && e->hit[w->ia->cxx]) r = 1;
    for (size_t i = 0; i < e->nmacros[w->ia->cxx]; i++)
      strset_add(&w->hit_macros, e->macros[w->ia->cxx][i], strlen(e->macros[w->ia->cxx][i]));
#ifdef LL_PREFILTER_DEBUG
    if (r) fprintf(stderr, "prefilter: relevant through %s\n", path);
#endif
    for (size_t i = 0; !r && i < e->nincs; i++) {
      char *p = resolve(w->ia, path, &e->incs[i]);
      if (p) {
        r = visit(w, p, cond || e->incs[i].cond);
        free(p);
      } else if (w->stop_on_hit && !cond && !e->incs[i].cond &&
                 quoted_missing(w->ia, path, &e->incs[i])) {
        r = 1; /* the parse fails: let the parser report it */
      }
    }
  } else if (w->stop_on_hit) {
    r = 1; /* cannot read it: let the parser report */
  }
  if (!w->m) free_ent(e);
  return r;
}

static int run_walk(walk *w, const char *file, const char *workdir) {
  int r = 0;
  for (size_t i = 0; !r && i < w->ia->forced.n; i++) {
    const char *f = w->ia->forced.v[i];
    char *p = is_file(f) ? ll_xstrdup(f) : NULL;
    if (!p) {
      incl in = {(char *)f, 0};
      p = resolve(w->ia, workdir && *workdir ? workdir : ".", &in);
    }
    if (p && !outside_project(p)) r = visit(w, p, 0);
    free(p);
  }
  if (!r) r = visit(w, file, 0);
  return r;
}

static void walk_free(walk *w) {
  for (size_t i = 0; i < w->order.n; i++) free(w->order.v[i]);
  free(w->order.v);
  strset_free(&w->seen);
  strset_free(&w->seen_u);
  strset_free(&w->hit_macros);
}

/* Pass 2: does the file mention one of w->hit_macros (other than in the
 * name position of its own #define)? Unreadable files count as yes. */
static uint64_t set_key(const strset *s, int cxx) {
  /* a sum: the same set gives the same key whatever its table order */
  uint64_t k = (uint64_t)strset_count(s) * 0x9e3779b97f4a7c15ULL + (uint64_t)cxx;
  void *name;
  for (size_t pos = 0; s->m && ll_ptrmap_next(s->m, &pos, NULL, &name);)
    k += hash_n(name, strlen(name)) * 0xff51afd7ed558ccdULL;
  return k;
}

static int mentions_scan(walk *w, const char *path);

/* Memoised per file for the last macro set: in a tree, the TUs that reach a
 * macro-only hit usually reach the same macros (one config header). */
static int mentions(walk *w, const char *path, uint64_t key) {
  if (!w->m) return mentions_scan(w, path);
  memo_ent *e = scan_file(w->pf, w->m, path, w->ia->cxx);
  pthread_mutex_lock(&w->m->mu);
  int have = e->use_valid && e->use_key == key, res = e->use_res;
  pthread_mutex_unlock(&w->m->mu);
  if (have) return res;
  res = mentions_scan(w, path);
  pthread_mutex_lock(&w->m->mu);
  e->use_key = key;
  e->use_res = res;
  e->use_valid = 1;
  pthread_mutex_unlock(&w->m->mu);
  return res;
}

static int mentions_scan(walk *w, const char *path) {
  char *text = NULL;
  size_t len = 0;
  if (ll_read_file(path, &text, &len) != 0) return 1;
  scan_out o = {{NULL, NULL}, {0, 0}, {{0}}, {0}};
  o.uses = &w->hit_macros;
  o.skip_at = (size_t)-1;
  scan_text(&o, text, len, w->ia->cxx);
  for (size_t k = 0; k < o.incs.n; k++) free(o.incs.v[k].name);
  free(o.incs.v);
  free(text);
#ifdef LL_PREFILTER_DEBUG
  if (o.used) fprintf(stderr, "prefilter: relevant through a macro use in %s\n", path);
#endif
  return o.used;
}

int ll_prefilter_check(const ll_prefilter *pf, const char *file, const ll_strlist *args,
                       const char *workdir) {
  if (!pf) return 1;
  inc_args ia;
  parse_args(file, args, workdir, 0, &ia);
  walk w = {0};
  w.pf = pf;
  w.m = pf->m;
  w.ia = &ia;
  w.stop_on_hit = 1;
  char *main_path = in_workdir(NULL, file);
  int r = run_walk(&w, main_path, workdir);
  free(main_path);
  /* no direct hit, but some macro's body calls a pack API: relevant when any
     file of the TU names that macro (conservative: any mention counts) */
  if (!r && strset_count(&w.hit_macros)) {
    uint64_t key = set_key(&w.hit_macros, ia.cxx);
    for (size_t i = 0; !r && i < w.order.n; i++) r = mentions(&w, w.order.v[i], key);
  }
  walk_free(&w);
  free_args(&ia);
  return r;
}

static int cmp_str(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

void ll_prefilter_includes(const char *file, const ll_strlist *args, const char *workdir,
                           ll_strlist *out) {
  inc_args ia;
  parse_args(file, args, workdir, 1, &ia);
  walk w = {0};
  w.ia = &ia;
  run_walk(&w, file, workdir);
  if (w.order.n) qsort(w.order.v, w.order.n, sizeof(char *), cmp_str);
  for (size_t i = 0; i < w.order.n; i++) {
    if (!strcmp(w.order.v[i], file)) continue;
    if (i && !strcmp(w.order.v[i], w.order.v[i - 1])) continue;
    ll_strlist_push(out, w.order.v[i]);
  }
  walk_free(&w);
  free_args(&ia);
}

/* ---- sharding ---- */

int ll_shard_select(const char *path, int k, int n) {
  if (n <= 1) return 1;
  uint64_t h = ll_hash64(path, strlen(path), LL_HASH_SEED);
  return (int)(h % (uint64_t)n) == k;
}
