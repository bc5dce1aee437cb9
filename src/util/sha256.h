/*
 * sha256.h - SHA-256 through OpenSSL's libcrypto.
 *
 * Why libcrypto: it uses the CPU's SHA extensions, about 2.7x libsodium's
 * portable code on our hardware, and hashing is most of what `verify` does.
 * The EVP context and the fetched algorithm are made once per thread and
 * reused, because fetching per call costs more than hashing a Merkle node.
 */
#ifndef SL_SHA256_H
#define SL_SHA256_H

#include <stddef.h>
#include <stdint.h>

#define SHA256_LEN 32

/* out = SHA-256(a || b); b may be NULL with blen 0. */
void sha256_two(const void *a, size_t alen, const void *b, size_t blen, uint8_t out[SHA256_LEN]);
void sha256(const void *data, size_t len, uint8_t out[SHA256_LEN]);

/* Incremental form for inputs built from several pieces. */
typedef struct sha256_ctx sha256_ctx;
sha256_ctx *sha256_begin(void); /* thread's reusable context: do not free */
void sha256_update(sha256_ctx *ctx, const void *data, size_t len);
void sha256_end(sha256_ctx *ctx, uint8_t out[SHA256_LEN]);
/* Free the calling thread's context; a thread that hashed calls it before
 * it ends (the server's worker threads), else the context leaks. */
void sha256_thread_release(void);

#endif
