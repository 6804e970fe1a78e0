/* digest.c - SHA-256 through libcrypto's EVP interface (see digest.h). */
#include "digest.h"

#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* libcrypto fails only when it cannot allocate: treat as out of memory. */
static void fatal(void) {
  fputs("leaklint: out of memory (SHA-256)\n", stderr);
  abort();
}

void ll_digest_of(const void *data, size_t n, ll_digest *out) {
  unsigned int len = 0;
  if (!EVP_Digest(data, n, out->b, &len, EVP_sha256(), NULL) || len != LL_DIGEST_LEN) fatal();
}

void ll_digest_chain(ll_digest *acc, const void *a, size_t an, const void *b, size_t bn) {
  EVP_MD_CTX *c = EVP_MD_CTX_new();
  unsigned int len = 0;
  if (!c || !EVP_DigestInit_ex(c, EVP_sha256(), NULL) || !EVP_DigestUpdate(c, acc->b, LL_DIGEST_LEN) ||
      !EVP_DigestUpdate(c, a, an) || !EVP_DigestUpdate(c, b, bn) || !EVP_DigestFinal_ex(c, acc->b, &len))
    fatal();
  EVP_MD_CTX_free(c);
}

void ll_digest_hex(const ll_digest *d, char out[2 * LL_DIGEST_LEN + 1]) {
  static const char hex[] = "0123456789abcdef";
  for (size_t i = 0; i < LL_DIGEST_LEN; i++) {
    out[2 * i] = hex[d->b[i] >> 4];
    out[2 * i + 1] = hex[d->b[i] & 15];
  }
  out[2 * LL_DIGEST_LEN] = '\0';
}

int ll_digest_equal(const ll_digest *a, const ll_digest *b) { return memcmp(a->b, b->b, LL_DIGEST_LEN) == 0; }
