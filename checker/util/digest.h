/* digest.h - SHA-256 (OpenSSL libcrypto, EVP) for everything whose identity
 * must not be forgeable: result-cache keys, dependency contents, entry ids,
 * the rule packs' identity. A 64-bit non-cryptographic hash let a crafted
 * file with the same length and hash as a clean one be answered "clean"
 * from a shared cache. */
#ifndef LL_DIGEST_H
#define LL_DIGEST_H

#include <stddef.h>

#define LL_DIGEST_LEN 32

typedef struct ll_digest {
  unsigned char b[LL_DIGEST_LEN];
} ll_digest;

/* SHA-256 of data[0..n). */
void ll_digest_of(const void *data, size_t n, ll_digest *out);
/* *acc = SHA-256(*acc || a || b): a running identity of a sequence of
 * (name, content) pairs, e.g. the rule packs in load order. */
void ll_digest_chain(ll_digest *acc, const void *a, size_t an, const void *b, size_t bn);
/* 64 lowercase hex digits + NUL. */
void ll_digest_hex(const ll_digest *d, char out[2 * LL_DIGEST_LEN + 1]);
int ll_digest_equal(const ll_digest *a, const ll_digest *b);

#endif
