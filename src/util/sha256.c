/*
 * sha256.c - SHA-256 via libcrypto's EVP interface.  See sha256.h.
 *
 * The low-level SHA256_Init family is deprecated in OpenSSL 3, and the
 * one-shot SHA256() fetches the algorithm on every call.  Keeping one
 * EVP_MD_CTX per thread and re-initialising it with a pre-fetched EVP_MD
 * is the supported way to get the fast path for many small inputs.
 */
#include "util/common.h"
#include "util/sha256.h"

#include <openssl/evp.h>

struct sha256_ctx {
	EVP_MD_CTX *md_ctx;
};

static _Thread_local sha256_ctx thread_ctx;
static EVP_MD *sha256_md;

static void fail(const char *what)
{
	fprintf(stderr, "safeledger: libcrypto %s failed\n", what);
	abort();
}

sha256_ctx *sha256_begin(void)
{
	sha256_ctx *ctx = &thread_ctx;

	if (!sha256_md) {
		/* Benign race: two threads may both fetch; both results work. */
		EVP_MD *md = EVP_MD_fetch(NULL, "SHA256", NULL);
		if (!md)
			fail("SHA256 fetch");
		sha256_md = md;
	}
	if (!ctx->md_ctx && !(ctx->md_ctx = EVP_MD_CTX_new()))
		fail("EVP_MD_CTX_new");
	if (EVP_DigestInit_ex2(ctx->md_ctx, sha256_md, NULL) != 1)
		fail("EVP_DigestInit_ex2");
	return ctx;
}

void sha256_update(sha256_ctx *ctx, const void *data, size_t len)
{
	if (len && EVP_DigestUpdate(ctx->md_ctx, data, len) != 1)
		fail("EVP_DigestUpdate");
}

void sha256_end(sha256_ctx *ctx, uint8_t out[SHA256_LEN])
{
	unsigned int n = 0;
	if (EVP_DigestFinal_ex(ctx->md_ctx, out, &n) != 1 || n != SHA256_LEN)
		fail("EVP_DigestFinal_ex");
}

void sha256_thread_release(void)
{
	EVP_MD_CTX_free(thread_ctx.md_ctx);
	thread_ctx.md_ctx = NULL;
}

void sha256_two(const void *a, size_t alen, const void *b, size_t blen, uint8_t out[SHA256_LEN])
{
	sha256_ctx *ctx = sha256_begin();
	sha256_update(ctx, a, alen);
	sha256_update(ctx, b, blen);
	sha256_end(ctx, out);
}

void sha256(const void *data, size_t len, uint8_t out[SHA256_LEN])
{
	sha256_two(data, len, NULL, 0, out);
}
