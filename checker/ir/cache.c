/* cache.c - the result cache's store (see cache.h): keys, paths, entry files,
 * dependency checks, the memoised file digests, atomic writes, trust in the
 * directory and --clear-cache. The IR inside an entry is ircodec.c's, the
 * findings of a run entry findcodec.c's. */
#include "cache.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "codec.h"
#include "digest.h"
#include "findcodec.h"
#include "ircodec.h"
#include "prefilter.h"
#include "ptrmap.h"
#include "readfile.h"

#ifndef LEAKLINT_VERSION
#define LEAKLINT_VERSION "0.0.0"
#endif

/* The format version is in the directory name (v3/) and in each file's
 * magic; --clear-cache removes only files that start with one of these. */
#define IR_FORMAT 3u
#define ENTRY_MAGIC "LLCACHE3"
#define RUN_MAGIC "LLRUN2"

/* What the run knows of one file, read once however many entries depend on
 * it: its size and digest as first read (what entries are validated
 * against) and, once a decode needed them, its contents. */
typedef struct fmemo {
  char *path;
  int ok; /* it could be read */
  uint64_t size;
  ll_digest dg;
  const char *text; /* interned contents (one reference), or NULL */
  size_t tlen;
  ll_digest tdg; /* the digest of text */
} fmemo;

struct ll_cache {
  char *dir;
  int dfd;  /* the cache directory, opened and checked (open_trusted_dir) */
  char *io; /* the path entries are reached through: /proc/self/fd/<dfd> */
  ll_digest rules; /* SHA-256 of every rule pack loaded */
  size_t napis;
  char *build_id; /* version + executable identity */
  char *cwd;
  pthread_mutex_t mu; /* guards files and seq */
  ll_ptrmap *files;   /* path -> fmemo */
  unsigned long seq;
};

/* The memo of path, adding m when there is none yet (another thread may
 * have added one since the caller looked: the first one stays). Under mu. */
static fmemo *memo_add(ll_cache *c, const char *path, fmemo *m) {
  fmemo *e = ll_ptrmap_get(c->files, path);
  if (e) return e;
  m->path = ll_xstrdup(path);
  ll_ptrmap_put(c->files, m->path, m);
  return m;
}

/* size + SHA-256 of a file, memoised for the run. 0 when it cannot be read
 * (missing, not a regular file, over the source limit). */
static int file_hash(ll_cache *c, const char *path, uint64_t *size, ll_digest *dg) {
  pthread_mutex_lock(&c->mu);
  const fmemo *e = ll_ptrmap_get(c->files, path);
  if (!e) {
    pthread_mutex_unlock(&c->mu);
    fmemo *m = ll_xcalloc(1, sizeof *m);
    char *text = NULL;
    size_t len = 0;
    if (ll_read_bounded(path, LL_READ_SOURCE, &text, &len, NULL) == 0) {
      m->ok = 1;
      m->size = len;
      ll_digest_of(text, len, &m->dg);
      free(text);
    }
    pthread_mutex_lock(&c->mu);
    e = memo_add(c, path, m);
    if (e != m) free(m);
  }
  int ok = e->ok;
  *size = e->size;
  *dg = e->dg;
  pthread_mutex_unlock(&c->mu);
  return ok;
}

/* The contents of a file for a decoded IR, read once per run however many
 * translation units include it: a new reference to the interned text (the
 * caller releases it), or NULL when it cannot be read. *dg: the digest of
 * that text (which the caller compares with what file_hash memoised). */
static const char *file_text(ll_cache *c, const char *path, size_t *len, ll_digest *dg) {
  pthread_mutex_lock(&c->mu);
  const fmemo *e = ll_ptrmap_get(c->files, path);
  if (e && e->text) {
    *len = e->tlen;
    *dg = e->tdg;
    const char *t = ll_text_retain(e->text);
    pthread_mutex_unlock(&c->mu);
    return t;
  }
  pthread_mutex_unlock(&c->mu);
  char *raw = NULL;
  size_t n = 0;
  if (ll_read_bounded(path, LL_READ_SOURCE, &raw, &n, NULL) != 0) return NULL;
  const char *t = ll_text_intern(raw, n);
  free(raw);
  fmemo *m = ll_xcalloc(1, sizeof *m);
  m->ok = 1; /* never probed: what was read now */
  m->size = n;
  ll_digest_of(t, n, &m->dg);
  *len = n;
  *dg = m->dg;
  pthread_mutex_lock(&c->mu);
  fmemo *got = memo_add(c, path, m);
  if (got != m) free(m);
  if (!got->text) {
    got->text = ll_text_retain(t);
    got->tlen = n;
    got->tdg = *dg;
  }
  pthread_mutex_unlock(&c->mu);
  return t;
}

/* Creates the parents of dir (they may be symlinks: a symlinked ~/.cache is
 * common; the cache directory itself may not be one). */
static int mkdir_parents(const char *dir) {
  char *p = ll_xstrdup(dir);
  for (char *s = p + 1; *s; s++) {
    if (*s != '/') continue;
    *s = '\0';
    if (mkdir(p, 0755) != 0 && errno != EEXIST) {
      free(p);
      return -1;
    }
    *s = '/';
  }
  free(p);
  return 0;
}

static int open_trusted_dir(const char *dir, char **why);
static int open_trusted_sub(int parent, const char *name);

char *ll_cache_default_dir(void) {
  const char *x = getenv("XDG_CACHE_HOME");
  if (x && x[0] == '/') return ll_xasprintf("%s/leaklint", x);
  const char *home = getenv("HOME");
  if (home && *home) return ll_xasprintf("%s/.cache/leaklint", home);
  return NULL;
}

/* The tag that tells backup tools this is a cache (created once, never
 * through a symlink). */
static void write_tag(int dfd) {
  int fd = openat(dfd, "CACHEDIR.TAG", O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
  if (fd < 0) return;
  static const char tag[] = "Signature: 8a477f597d28d172789f06886806bc55\n"
                            "# This file is a cache directory tag created by leaklint.\n";
  ssize_t w = write(fd, tag, sizeof tag - 1);
  (void)w;
  close(fd);
}

/* Creates and checks DIR and DIR/v<N>; the directory fd, or -1 with *why. */
static int prepare_dir(const char *dir, char **why, int *untrusted) {
  if (mkdir_parents(dir) != 0 || (mkdir(dir, 0755) != 0 && errno != EEXIST)) {
    *why = ll_xasprintf("cannot create %s: %s", dir, strerror(errno));
    return -1;
  }
  int dfd = open_trusted_dir(dir, why);
  if (dfd < 0) {
    *untrusted = 1;
    return -1;
  }
  char sub[24];
  snprintf(sub, sizeof sub, "v%u", IR_FORMAT);
  if (mkdirat(dfd, sub, 0755) != 0 && errno != EEXIST) {
    *why = ll_xasprintf("cannot create %s/%s: %s", dir, sub, strerror(errno));
    close(dfd);
    return -1;
  }
  int vfd = open_trusted_sub(dfd, sub);
  if (vfd < 0 || faccessat(vfd, ".", W_OK | X_OK, 0) != 0) {
    *why = ll_xasprintf("%s/%s is a symlink, not writable, or writable by others", dir, sub);
    *untrusted = vfd < 0;
    if (vfd >= 0) close(vfd);
    close(dfd);
    return -1;
  }
  close(vfd);
  write_tag(dfd);
  return dfd;
}

ll_cache *ll_cache_open(const char *dir, const ll_rules *rules, char **why, int *untrusted) {
  *why = NULL;
  *untrusted = 0;
  if (!dir || !*dir) return NULL;
  int dfd = prepare_dir(dir, why, untrusted);
  if (dfd < 0) return NULL;
  ll_cache *c = ll_xcalloc(1, sizeof *c);
  c->dir = ll_xstrdup(dir);
  c->dfd = dfd;
  /* every later access goes through the checked directory, even if its path
     is replaced meanwhile (Linux: the fd's magic link) */
  c->io = ll_xasprintf("/proc/self/fd/%d", dfd);
  if (access(c->io, X_OK) != 0) {
    free(c->io);
    c->io = ll_xstrdup(dir);
  }
  ll_rules_digest(rules, &c->rules);
  c->napis = rules ? ll_rules_count(rules) : 0;
  /* a rebuilt binary may extract different IR: its identity is in the key */
  struct stat st;
  if (stat("/proc/self/exe", &st) == 0)
    c->build_id = ll_xasprintf("%s/%u/%lld/%lld.%ld", LEAKLINT_VERSION, IR_FORMAT, (long long)st.st_size,
                               (long long)st.st_mtim.tv_sec, (long)st.st_mtim.tv_nsec);
  else
    c->build_id = ll_xasprintf("%s/%u", LEAKLINT_VERSION, IR_FORMAT);
  char cwd[PATH_MAX];
  c->cwd = ll_xstrdup(getcwd(cwd, sizeof cwd) ? cwd : "");
  pthread_mutex_init(&c->mu, NULL);
  c->files = ll_ptrmap_new_str();
  return c;
}

void ll_cache_close(ll_cache *c) {
  if (!c) return;
  void *v;
  for (size_t pos = 0; ll_ptrmap_next(c->files, &pos, NULL, &v);) {
    fmemo *e = v;
    ll_text_release(e->text);
    free(e->path);
    free(e);
  }
  ll_ptrmap_free(c->files);
  pthread_mutex_destroy(&c->mu);
  close(c->dfd);
  free(c->io);
  free(c->dir);
  free(c->build_id);
  free(c->cwd);
  free(c);
}

/* The identity of the run's settings: version and executable, working
 * directory, rule packs. */
static void put_settings(const ll_cache *c, ll_buf *b) {
  char rh[2 * LL_DIGEST_LEN + 1];
  ll_digest_hex(&c->rules, rh);
  ll_buf_printf(b, "%s%c%s%c%s/%zu%c", c->build_id, 0, c->cwd, 0, rh, c->napis, 0);
}

/* Key: SHA-256 over everything that decides the IR besides the headers
 * (those are dependencies inside the entry, checked by content). Every
 * field is NUL-terminated, so no two different inputs share a key text. */
static void make_key(const ll_cache *c, const char *file, const ll_strlist *args, const char *workdir,
                     const ll_digest *content, ll_digest *key) {
  ll_buf b = {0};
  char ch[2 * LL_DIGEST_LEN + 1];
  ll_digest_hex(content, ch);
  ll_buf_puts(&b, "file");
  ll_buf_putc(&b, 0);
  put_settings(c, &b);
  ll_buf_printf(&b, "%s%c%s%c%s%c", workdir ? workdir : "", 0, file, 0, ch, 0);
  for (size_t i = 0; args && i < args->n; i++) {
    ll_buf_puts(&b, args->v[i]);
    ll_buf_putc(&b, 0);
  }
  ll_digest_of(b.data, b.len, key);
  ll_buf_free(&b);
}

static char *entry_path(const ll_cache *c, const ll_digest *key, const char *ext) {
  char h[2 * LL_DIGEST_LEN + 1];
  ll_digest_hex(key, h);
  return ll_xasprintf("%s/v%u/%.2s/%s.%s", c->io, IR_FORMAT, h, h, ext);
}

/* Entry: MAGIC key ndeps {len path size digest}* kind [irlen ir] trailer,
 * where trailer = SHA-256 of everything before it (integrity, and the
 * entry's id for run entries). */
enum { ENTRY_IR = 0, ENTRY_SKIP = 1 };

struct ll_cache_entry {
  ll_cache *cache;        /* for the file contents, read once per run */
  char *data;             /* the whole entry file */
  const unsigned char *p; /* the IR inside data */
  size_t len;
};

void ll_cache_entry_free(ll_cache_entry *e) {
  if (!e) return;
  free(e->data);
  free(e);
}

/* Reads the entry file at path: magic, key and trailer checked. The data
 * (caller frees) and the span between key and trailer; NULL on any doubt. */
static char *read_entry(const char *path, const char *magic, const ll_digest *key, const unsigned char **body,
                        size_t *blen, ll_digest *id) {
  char *data = NULL;
  size_t dlen = 0;
  if (ll_read_bounded(path, LL_READ_CACHE, &data, &dlen, NULL) != 0) return NULL;
  const unsigned char *d = (const unsigned char *)data;
  size_t ml = strlen(magic);
  if (dlen < ml + 2 * LL_DIGEST_LEN || memcmp(d, magic, ml) != 0 ||
      memcmp(d + ml, key->b, LL_DIGEST_LEN) != 0) {
    free(data);
    return NULL;
  }
  ll_digest_of(d, dlen - LL_DIGEST_LEN, id);
  if (memcmp(id->b, d + dlen - LL_DIGEST_LEN, LL_DIGEST_LEN) != 0) { /* truncated or damaged */
    free(data);
    return NULL;
  }
  *body = d + ml + LL_DIGEST_LEN;
  *blen = dlen - ml - 2 * LL_DIGEST_LEN;
  return data;
}

/* Every dependency still has the size and digest the entry recorded. */
static int deps_valid(ll_cache *c, ll_reader *r) {
  size_t ndeps = ll_get_count(r);
  for (size_t i = 0; i < ndeps && !r->bad; i++) {
    size_t pl = ll_get_count(r);
    const unsigned char *name = ll_get_raw(r, pl);
    uint64_t size = ll_get_u(r), s2;
    const unsigned char *raw = ll_get_raw(r, LL_DIGEST_LEN);
    if (r->bad) return 0;
    ll_digest dg, d2;
    memcpy(dg.b, raw, LL_DIGEST_LEN);
    char *dep = ll_xstrndup((const char *)name, pl);
    int ok = file_hash(c, dep, &s2, &d2) && s2 == size && ll_digest_equal(&dg, &d2);
    free(dep);
    if (!ok) return 0; /* a header changed: miss */
  }
  return !r->bad;
}

ll_cache_result ll_cache_get(ll_cache *c, const char *file, const ll_strlist *args, const char *workdir,
                             int accept_skip, ll_cache_entry **entry, ll_digest *id) {
  *entry = NULL;
  memset(id, 0, sizeof *id);
  if (!c || !file) return LL_CACHE_MISS;
  uint64_t msize;
  ll_digest mdg, key, eid;
  if (!file_hash(c, file, &msize, &mdg)) return LL_CACHE_MISS;
  make_key(c, file, args, workdir, &mdg, &key);
  char *path = entry_path(c, &key, "llc");
  const unsigned char *body = NULL;
  size_t blen = 0;
  char *data = read_entry(path, ENTRY_MAGIC, &key, &body, &blen, &eid);
  free(path);
  if (!data) return LL_CACHE_MISS;
  ll_cache_result res = LL_CACHE_MISS;
  ll_reader r = ll_reader_of(body, blen);
  if (!deps_valid(c, &r)) goto out;
  uint64_t kind = ll_get_u(&r);
  if (r.bad) goto out;
  if (kind == ENTRY_SKIP) {
    if (r.p == r.end && accept_skip) {
      res = LL_CACHE_SKIP;
      *id = eid;
    }
    goto out;
  }
  size_t irlen = ll_get_count(&r);
  if (kind != ENTRY_IR || r.bad || irlen != (size_t)(r.end - r.p)) goto out;
  ll_cache_entry *e = ll_xcalloc(1, sizeof *e);
  e->cache = c;
  e->data = data;
  e->p = r.p;
  e->len = irlen;
  *entry = e;
  *id = eid;
  return LL_CACHE_HIT;
out:
  free(data);
  return res;
}

ll_tu *ll_cache_entry_decode(ll_cache_entry *e, const ll_rules *rules) {
  if (!e) return NULL;
  ll_cache *c = e->cache;
  ll_tu *tu = ll_ir_deserialize(e->p, e->len, rules);
  ll_cache_entry_free(e);
  if (!tu) return NULL;
  /* file contents: read back, must match what the IR was built from (the
     entry's dependencies hold their digests, which the probe checked; a file
     changed since then is a miss) */
  for (size_t i = 0; i < tu->nfiles; i++) {
    size_t fl = 0;
    ll_digest dg;
    const char *ft = file_text(c, tu->files[i], &fl, &dg);
    uint64_t psize;
    ll_digest pdg; /* what the probe validated (memoised): the text must be that one */
    if (!ft || fl != tu->lens[i] || !file_hash(c, tu->files[i], &psize, &pdg) || !ll_digest_equal(&dg, &pdg)) {
      ll_text_release(ft);
      ll_tu_free(tu);
      return NULL;
    }
    tu->contents[i] = ft; /* replaces the empty text deserialize put there */
  }
  return tu;
}


/* Writes b to the entry path of key (temp file + rename). 1 on success. */
static int write_atomic(ll_cache *c, const ll_digest *key, const char *ext, const ll_buf *b) {
  char *path = entry_path(c, key, ext);
  char *slash = strrchr(path, '/');
  *slash = '\0';
  mkdir(path, 0755);
  *slash = '/';
  pthread_mutex_lock(&c->mu);
  unsigned long seq = ++c->seq;
  pthread_mutex_unlock(&c->mu);
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  char *tmp = ll_xasprintf("%s.tmp.%ld.%lu.%ld", path, (long)getpid(), seq, (long)ts.tv_nsec);
  int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
  int ok = 0;
  if (fd >= 0) {
    size_t off = 0;
    int werr = 0;
    while (off < b->len) {
      ssize_t w = write(fd, b->data + off, b->len - off);
      if (w < 0) {
        if (errno == EINTR) continue;
        werr = 1;
        break;
      }
      off += (size_t)w;
    }
    if (close(fd) != 0) werr = 1;
    if (werr || rename(tmp, path) != 0)
      unlink(tmp);
    else
      ok = 1;
  }
  free(tmp);
  free(path);
  return ok;
}

/* A dependency of an entry: a file and its size and digest then. */
typedef struct dep {
  const char *name;
  uint64_t size;
  ll_digest dg;
} dep;

static int cmp_dep(const void *a, const void *b) { return strcmp(((const dep *)a)->name, ((const dep *)b)->name); }

/* Writes an entry: key, dependencies (sorted, unique names with sizes and
 * digests), then the kind and, for ENTRY_IR, the serialised IR. Atomic
 * (temp + rename). 1 and *id on success. */
static int write_entry(ll_cache *c, const ll_digest *key, dep *deps, size_t nd, const ll_tu *tu,
                       const ll_rules *rules, ll_digest *id) {
  if (nd) qsort(deps, nd, sizeof *deps, cmp_dep);
  size_t w = 0;
  for (size_t i = 0; i < nd; i++)
    if (!w || strcmp(deps[w - 1].name, deps[i].name) != 0) deps[w++] = deps[i];
  nd = w;
  ll_buf b = {0};
  ll_buf_append(&b, ENTRY_MAGIC, strlen(ENTRY_MAGIC));
  ll_buf_append(&b, (const char *)key->b, LL_DIGEST_LEN);
  ll_put_u(&b, nd);
  for (size_t i = 0; i < nd; i++) {
    ll_put_bytes(&b, deps[i].name, strlen(deps[i].name));
    ll_put_u(&b, deps[i].size);
    ll_buf_append(&b, (const char *)deps[i].dg.b, LL_DIGEST_LEN);
  }
  ll_put_u(&b, tu ? ENTRY_IR : ENTRY_SKIP);
  if (tu) {
    ll_buf ir = {0};
    ll_ir_serialize(tu, rules, &ir);
    ll_put_u(&b, ir.len);
    ll_buf_append(&b, ir.data, ir.len);
    ll_buf_free(&ir);
  }
  ll_digest_of(b.data, b.len, id);
  ll_buf_append(&b, (const char *)id->b, LL_DIGEST_LEN);
  int ok = write_atomic(c, key, "llc", &b);
  ll_buf_free(&b);
  return ok;
}

/* Adds path with its current size and digest; 0 when it cannot be read. */
static int add_file_dep(ll_cache *c, const char *path, dep *out) {
  out->name = path;
  return file_hash(c, path, &out->size, &out->dg);
}

/* Stores an entry for file+args: the IR of tu, or (tu NULL) the filter's
 * skip mark. Dependencies: the main file, every file the parse read
 * (libclang's inclusions), every project header the include walker finds,
 * and the files the IR has text of (hashed from the tu's own copy). */
static int put_entry(ll_cache *c, const char *file, const ll_strlist *args, const char *workdir,
                     const ll_tu *tu, const ll_rules *rules, ll_digest *id) {
  if (!c || !file) return 0;
  ll_digest mdg;
  uint64_t msize = 0;
  int have = 0;
  if (tu) { /* the content the IR was built from: the tu's copy of the main file */
    char *disp = ll_path_display(file);
    for (size_t i = 0; i < tu->nfiles; i++) {
      if (tu->files[i] && !strcmp(tu->files[i], disp)) {
        ll_digest_of(tu->contents[i], tu->lens[i], &mdg);
        have = 1;
        break;
      }
    }
    free(disp);
  }
  if (!have && !file_hash(c, file, &msize, &mdg)) return 0;
  ll_digest key;
  make_key(c, file, args, workdir, &mdg, &key);

  ll_strlist inc = {0};
  ll_prefilter_includes(file, args, workdir, &inc);
  size_t ntu = tu ? tu->nfiles : 0, nin = tu ? tu->ndeps : 0;
  dep *deps = ll_xcalloc(inc.n + ntu + nin + 1, sizeof(dep));
  size_t nd = 0;
  int ok = 1;
  if (!tu) { /* a skip mark depends on the main file's text too */
    deps[nd].name = file;
    deps[nd].size = msize;
    deps[nd].dg = mdg;
    nd++;
  }
  for (size_t i = 0; i < ntu; i++, nd++) {
    deps[nd].name = tu->files[i];
    deps[nd].size = tu->lens[i];
    ll_digest_of(tu->contents[i], tu->lens[i], &deps[nd].dg);
  }
  for (size_t i = 0; i < nin && ok; i++) ok = add_file_dep(c, tu->deps[i], &deps[nd++]);
  for (size_t i = 0; i < inc.n && ok; i++) ok = add_file_dep(c, inc.v[i], &deps[nd++]);
  ok = ok && write_entry(c, &key, deps, nd, tu, rules, id);
  free(deps);
  ll_strlist_free(&inc);
  return ok;
}

int ll_cache_put(ll_cache *c, const char *file, const ll_strlist *args, const char *workdir,
                 const ll_tu *tu, const ll_rules *rules, ll_digest *id) {
  memset(id, 0, sizeof *id);
  return tu ? put_entry(c, file, args, workdir, tu, rules, id) : 0;
}

int ll_cache_put_skip(ll_cache *c, const char *file, const ll_strlist *args, const char *workdir,
                      const ll_rules *rules, ll_digest *id) {
  memset(id, 0, sizeof *id);
  return put_entry(c, file, args, workdir, NULL, rules, id);
}

/* ---- run entries ---- */

static void run_key(const ll_cache *c, const ll_digest *ids, size_t n, ll_digest *key) {
  ll_buf b = {0};
  ll_buf_puts(&b, "run");
  ll_buf_putc(&b, 0);
  put_settings(c, &b);
  for (size_t i = 0; i < n; i++) ll_buf_append(&b, (const char *)ids[i].b, LL_DIGEST_LEN);
  ll_digest_of(b.data, b.len, key);
  ll_buf_free(&b);
}

int ll_cache_get_run(ll_cache *c, const ll_digest *ids, size_t n, ll_findings *out) {
  if (!c) return 0;
  ll_digest key, id;
  run_key(c, ids, n, &key);
  char *path = entry_path(c, &key, "llr");
  const unsigned char *body = NULL;
  size_t blen = 0;
  char *data = read_entry(path, RUN_MAGIC, &key, &body, &blen, &id);
  free(path);
  int hit = data && ll_findings_deserialize(body, blen, out) == 0;
  free(data);
  return hit;
}

void ll_cache_put_run(ll_cache *c, const ll_digest *ids, size_t n, const ll_findings *f) {
  if (!c) return;
  ll_digest key, id;
  run_key(c, ids, n, &key);
  ll_buf b = {0};
  ll_buf_append(&b, RUN_MAGIC, strlen(RUN_MAGIC));
  ll_buf_append(&b, (const char *)key.b, LL_DIGEST_LEN);
  ll_findings_serialize(f, &b);
  ll_digest_of(b.data, b.len, &id);
  ll_buf_append(&b, (const char *)id.b, LL_DIGEST_LEN);
  write_atomic(c, &key, "llr", &b);
  ll_buf_free(&b);
}
/* ---- trust in the cache directory ---- */

/* Opens dir (never through a symlink) and checks that this user owns it and
 * that nobody else may write into it: an entry planted by another user
 * could hide a finding, and a symlinked directory would make leaklint write
 * (as root: create its tree) or delete somewhere else. The fd, or -1 with
 * *why (caller frees). */
static int open_trusted_dir(const char *dir, char **why) {
  int fd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0) {
    struct stat ls;
    if (errno == ELOOP || errno == ENOTDIR) {
      int link = lstat(dir, &ls) == 0 && S_ISLNK(ls.st_mode);
      *why = ll_xasprintf("%s is %s", dir, link ? "a symlink (not followed)" : "not a directory");
    } else {
      *why = ll_xasprintf("%s: %s", dir, strerror(errno));
    }
    return -1;
  }
  struct stat st;
  if (fstat(fd, &st) != 0 || st.st_uid != geteuid() || (st.st_mode & (S_IWGRP | S_IWOTH))) {
    *why = st.st_uid != geteuid() ? ll_xasprintf("%s is not owned by the current user", dir)
                                  : ll_xasprintf("%s is writable by other users (mode %03o)", dir,
                                                 (unsigned)(st.st_mode & 0777));
    close(fd);
    return -1;
  }
  return fd;
}

/* A sub-directory of a trusted one that is trusted too (same rules), opened
 * relative to its parent without following a symlink; -1 otherwise. */
static int open_trusted_sub(int parent, const char *name) {
  int fd = openat(parent, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0) return -1;
  struct stat st;
  if (fstat(fd, &st) != 0 || st.st_uid != geteuid() || (st.st_mode & (S_IWGRP | S_IWOTH))) {
    close(fd);
    return -1;
  }
  return fd;
}

/* ---- --clear-cache ---- */

/* The magics of every format leaklint has written: a file is removed only
 * when its first bytes prove leaklint wrote it. */
static const char *const OUR_MAGICS[] = {ENTRY_MAGIC, RUN_MAGIC, "LLCACHE2", "LLRUN1"};

static int is_entry_name(const char *n) {
  size_t l = strlen(n);
  if (strstr(n, ".llc.tmp.") || strstr(n, ".llr.tmp.")) return 1;
  return l > 4 && (!strcmp(n + l - 4, ".llc") || !strcmp(n + l - 4, ".llr"));
}

/* Two hex digits: the fan-out directories entry_path creates. */
static int is_fanout_name(const char *n) {
  return strlen(n) == 2 && strchr("0123456789abcdef", n[0]) && strchr("0123456789abcdef", n[1]);
}

static int is_format_name(const char *n) {
  return n[0] == 'v' && n[1] && strspn(n + 1, "0123456789") == strlen(n + 1);
}

/* 1 when the regular file dfd/name (not a symlink) starts with one of our
 * magics; *size its size. */
static int written_by_us(int dfd, const char *name, unsigned long long *size) {
  int fd = openat(dfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
  if (fd < 0) return 0;
  struct stat st;
  char head[16] = {0};
  ssize_t n = fstat(fd, &st) == 0 && S_ISREG(st.st_mode) ? read(fd, head, sizeof head) : -1;
  close(fd);
  for (size_t i = 0; n > 0 && i < sizeof OUR_MAGICS / sizeof OUR_MAGICS[0]; i++) {
    size_t ml = strlen(OUR_MAGICS[i]);
    if ((size_t)n >= ml && memcmp(head, OUR_MAGICS[i], ml) == 0) {
      *size = (unsigned long long)st.st_size;
      return 1;
    }
  }
  return 0;
}

typedef struct clear_ctx {
  size_t entries;
  unsigned long long bytes;
  char *err;
} clear_ctx;

/* Removes our entries from one fan-out directory, then the directory when
 * it is empty. Everything relative to directory fds: nothing outside. */
static void clear_fanout(clear_ctx *x, int vfd, const char *fan) {
  int ffd = open_trusted_sub(vfd, fan);
  if (ffd < 0) return;
  DIR *d = fdopendir(ffd);
  if (!d) {
    close(ffd);
    return;
  }
  struct dirent *e;
  while ((e = readdir(d))) {
    unsigned long long sz = 0;
    if (!is_entry_name(e->d_name) || !written_by_us(ffd, e->d_name, &sz)) continue;
    if (unlinkat(ffd, e->d_name, 0) == 0) {
      x->entries++;
      x->bytes += sz;
    } else if (errno != ENOENT && !x->err) {
      x->err = ll_xasprintf("cannot remove %s: %s", e->d_name, strerror(errno));
    }
  }
  closedir(d);                           /* closes ffd */
  unlinkat(vfd, fan, AT_REMOVEDIR);      /* fails harmlessly when something else is inside */
}

static void clear_format(clear_ctx *x, int top, const char *name) {
  int vfd = open_trusted_sub(top, name);
  if (vfd < 0) return;
  int lfd = dup(vfd);
  DIR *d = lfd >= 0 ? fdopendir(lfd) : NULL;
  if (d) {
    struct dirent *e;
    while ((e = readdir(d)))
      if (is_fanout_name(e->d_name)) clear_fanout(x, vfd, e->d_name);
    closedir(d);
  } else if (lfd >= 0) {
    close(lfd);
  }
  close(vfd);
  unlinkat(top, name, AT_REMOVEDIR);
}

int ll_cache_clear(const char *dir, size_t *entries, unsigned long long *bytes, char **err) {
  *entries = 0;
  *bytes = 0;
  struct stat ls;
  if (lstat(dir, &ls) != 0 && errno == ENOENT) return 0; /* nothing cached yet */
  char *why = NULL;
  int top = open_trusted_dir(dir, &why);
  if (top < 0) {
    *err = ll_xasprintf("not clearing the cache: %s", why);
    free(why);
    return -1;
  }
  clear_ctx x = {0};
  int lfd = dup(top);
  DIR *d = lfd >= 0 ? fdopendir(lfd) : NULL;
  if (!d) {
    if (lfd >= 0) close(lfd);
    close(top);
    *err = ll_xasprintf("cannot open the cache directory %s: %s", dir, strerror(errno));
    return -1;
  }
  struct dirent *vd;
  while ((vd = readdir(d)))
    if (is_format_name(vd->d_name)) clear_format(&x, top, vd->d_name);
  closedir(d);
  close(top);
  *entries = x.entries;
  *bytes = x.bytes;
  if (x.err) {
    *err = x.err;
    return -1;
  }
  return 0;
}
