/*
 * note.c - C2SP signed notes and Ed25519 note keys.  See note.h.
 *
 * Parsing follows the order of golang.org/x/mod/sumdb/note Open, because
 * that implementation defines what the ecosystem accepts: first the whole
 * message must be UTF-8 with no control characters but "\n", then it is split
 * at the last "\n\n", then every signature line must be well formed before
 * any key is looked up.  Where we differ we are stricter: base64 must be
 * canonical (util/hex.h), and a repeated signature from a known key is
 * verified rather than skipped.
 *
 * Secret keys live only in note_signer (64-byte libsodium form, seed || pk)
 * and in short-lived buffers, all wiped with sodium_memzero before release.
 */
#include "util/common.h"
#include "util/hex.h"
#include "util/sha256.h"
#include "ledger/note.h"
#include "util/utf8.h"

#include <sodium.h>

#define ALG_ED25519 0x01

/* "— " : U+2014 EM DASH then a space, the start of every signature line. */
static const char sig_prefix[] = "\xe2\x80\x94 ";
#define SIG_PREFIX_LEN 4

static const char skey_prefix[] = "PRIVATE+KEY+";
#define SKEY_PREFIX_LEN 12

struct note_signer {
	char *name;
	uint32_t key_id;
	uint8_t sk[crypto_sign_ed25519_SECRETKEYBYTES]; /* seed || public key */
};

struct note_verifier {
	char *name;
	uint32_t key_id;
	uint8_t pk[crypto_sign_ed25519_PUBLICKEYBYTES];
};

/* ---- characters ------------------------------------------------------- */

/* Unicode White_Space, the set Go's unicode.IsSpace tests for key names. */
static bool is_unicode_space(uint32_t cp)
{
	return (cp >= 0x09 && cp <= 0x0d) || cp == 0x20 || cp == 0x85 || cp == 0xa0 ||
	       cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200a) || cp == 0x2028 || cp == 0x2029 ||
	       cp == 0x202f || cp == 0x205f || cp == 0x3000;
}

bool note_text_valid(const char *s, size_t len)
{
	const uint8_t *p = (const uint8_t *)s;
	size_t i = 0;

	while (i < len) {
		uint32_t cp;
		size_t n = utf8_decode(p + i, len - i, &cp);
		if (n == 0 || (cp < 0x20 && cp != '\n'))
			return false;
		i += n;
	}
	return true;
}

bool note_name_valid(const char *name, size_t len)
{
	const uint8_t *p = (const uint8_t *)name;
	size_t i = 0;

	if (len == 0)
		return false;
	while (i < len) {
		uint32_t cp;
		size_t n = utf8_decode(p + i, len - i, &cp);
		if (n == 0 || cp < 0x20 || cp == '+' || is_unicode_space(cp))
			return false;
		i += n;
	}
	return true;
}

/* ---- keys ------------------------------------------------------------- */

/* signed-note "Ed25519 signatures": SHA-256(name || 0x0A || 0x01 || pk)[:4]. */
static uint32_t key_id_for(const char *name, size_t name_len, const uint8_t pk[32])
{
	static const uint8_t sep[2] = {'\n', ALG_ED25519};
	uint8_t h[SHA256_LEN];
	sha256_ctx *ctx = sha256_begin();

	sha256_update(ctx, name, name_len);
	sha256_update(ctx, sep, sizeof(sep));
	sha256_update(ctx, pk, 32);
	sha256_end(ctx, h);
	return (uint32_t)h[0] << 24 | (uint32_t)h[1] << 16 | (uint32_t)h[2] << 8 | h[3];
}

/* "<name>+<8 hex id>+base64(0x01 || key)" appended to out. */
static void format_key(buf *out, const char *name, uint32_t key_id, const uint8_t key[32])
{
	uint8_t raw[33];

	raw[0] = ALG_ED25519;
	memcpy(raw + 1, key, 32);
	buf_printf(out, "%s+%08x+", name, (unsigned)key_id);
	base64_encode(out, raw, sizeof(raw));
	sodium_memzero(raw, sizeof(raw));
}

/*
 * Split "<name>+<8 hex>+<base64 of 0x01 || 32 bytes>" (the part of a key
 * string after any PRIVATE+KEY+).  The name cannot contain '+', so the first
 * two '+' are the separators; base64 may contain '+' and takes the rest.
 * On success *name is allocated and key[] holds the 32 key bytes.
 */
static int split_key(const char *s, const char *what, char **name, uint32_t *key_id,
		     uint8_t key[32], sl_err *err)
{
	const char *plus = strchr(s, '+'), *b64;
	buf raw = BUF_INIT;
	uint8_t id[4];
	int rc = SL_EINVAL;

	*name = NULL;
	if (!plus || !note_name_valid(s, (size_t)(plus - s))) {
		sl_fail(err, rc, "%s: missing or invalid key name", what);
		goto done;
	}
	if (strlen(plus + 1) < 9 || plus[9] != '+' || hex_decode(plus + 1, 8, id, 4) != 0) {
		sl_fail(err, rc, "%s: key id must be 8 hex digits", what);
		goto done;
	}
	b64 = plus + 10;
	if (base64_decode(&raw, b64, strlen(b64)) != 0 || raw.len != 33) {
		sl_fail(err, rc, "%s: key data must be base64 of 33 bytes", what);
		goto done;
	}
	if ((uint8_t)raw.data[0] != ALG_ED25519) {
		sl_fail(err, rc, "%s: unknown key algorithm 0x%02x (only Ed25519, 0x01)", what,
			(unsigned)(uint8_t)raw.data[0]);
		goto done;
	}
	memcpy(key, raw.data + 1, 32);
	*key_id = (uint32_t)id[0] << 24 | (uint32_t)id[1] << 16 | (uint32_t)id[2] << 8 | id[3];
	*name = xstrndup(s, (size_t)(plus - s));
	rc = 0;
done:
	if (raw.data)
		sodium_memzero(raw.data, raw.len);
	buf_release(&raw);
	return rc;
}

int note_generate_key(const char *name, char **skey, char **vkey, sl_err *err)
{
	uint8_t seed[crypto_sign_ed25519_SEEDBYTES];
	uint8_t pk[crypto_sign_ed25519_PUBLICKEYBYTES];
	uint8_t sk[crypto_sign_ed25519_SECRETKEYBYTES];
	buf s = BUF_INIT, v = BUF_INIT;
	uint32_t id;
	int rc = 0;

	*skey = *vkey = NULL;
	if (!note_name_valid(name, strlen(name))) {
		rc = sl_fail(err, SL_EINVAL,
			     "key name \"%s\" must be non-empty with no spaces, '+' or control characters",
			     name);
		goto done;
	}
	if (sodium_init() < 0) {
		rc = sl_fail(err, SL_EIO, "libsodium failed to initialise");
		goto done;
	}
	randombytes_buf(seed, sizeof(seed));
	crypto_sign_ed25519_seed_keypair(pk, sk, seed);
	id = key_id_for(name, strlen(name), pk);
	/* Size the buffer once so no reallocation leaves a copy of the seed in
	 * freed memory. */
	buf_grow(&s, SKEY_PREFIX_LEN + strlen(name) + 80);
	buf_puts(&s, skey_prefix);
	format_key(&s, name, id, seed);
	format_key(&v, name, id, pk);
	*skey = buf_detach(&s);
	*vkey = buf_detach(&v);
done:
	sodium_memzero(seed, sizeof(seed));
	sodium_memzero(sk, sizeof(sk));
	return rc;
}

int note_signer_parse(const char *skey, note_signer **out, sl_err *err)
{
	uint8_t seed[32], pk[crypto_sign_ed25519_PUBLICKEYBYTES];
	note_signer *s = NULL;
	char *name = NULL;
	uint32_t id;
	int rc;

	*out = NULL;
	/* Messages never quote skey: it is a secret. */
	if (strncmp(skey, skey_prefix, SKEY_PREFIX_LEN) != 0) {
		rc = sl_fail(err, SL_EINVAL, "signer key: must start with PRIVATE+KEY+");
		goto done;
	}
	rc = split_key(skey + SKEY_PREFIX_LEN, "signer key", &name, &id, seed, err);
	if (rc < 0)
		goto done;
	if (sodium_init() < 0) {
		rc = sl_fail(err, SL_EIO, "libsodium failed to initialise");
		goto done;
	}
	s = xcalloc(1, sizeof(*s));
	crypto_sign_ed25519_seed_keypair(pk, s->sk, seed);
	/* The id names the public key, so it can only be checked after deriving
	 * it; a mismatch means the string was damaged or hand-edited. */
	if (key_id_for(name, strlen(name), pk) != id) {
		rc = sl_fail(err, SL_EINVAL, "signer key for \"%s\": key id does not match the key",
			     name);
		goto done;
	}
	s->name = name;
	s->key_id = id;
	name = NULL;
	*out = s;
	s = NULL;
done:
	sodium_memzero(seed, sizeof(seed));
	free(name);
	note_signer_free(s);
	return rc;
}

void note_signer_free(note_signer *s)
{
	if (!s)
		return;
	sodium_memzero(s->sk, sizeof(s->sk));
	free(s->name);
	free(s);
}

int note_verifier_parse(const char *vkey, note_verifier **out, sl_err *err)
{
	note_verifier *v = NULL;
	char *name = NULL;
	uint8_t pk[32];
	uint32_t id;
	int rc;

	*out = NULL;
	rc = split_key(vkey, "verifier key", &name, &id, pk, err);
	if (rc < 0)
		goto done;
	if (key_id_for(name, strlen(name), pk) != id) {
		rc = sl_fail(err, SL_EINVAL, "verifier key \"%s\": key id does not match the key",
			     vkey);
		goto done;
	}
	v = xcalloc(1, sizeof(*v));
	v->name = name;
	v->key_id = id;
	memcpy(v->pk, pk, sizeof(pk));
	name = NULL;
	*out = v;
done:
	free(name);
	return rc;
}

void note_verifier_free(note_verifier *v)
{
	if (!v)
		return;
	free(v->name);
	free(v);
}

const char *note_signer_name(const note_signer *s) { return s->name; }
uint32_t note_signer_key_id(const note_signer *s) { return s->key_id; }
const char *note_verifier_name(const note_verifier *v) { return v->name; }
uint32_t note_verifier_key_id(const note_verifier *v) { return v->key_id; }

char *note_signer_vkey(const note_signer *s)
{
	buf v = BUF_INIT;

	format_key(&v, s->name, s->key_id, s->sk + 32);
	return buf_detach(&v);
}

/* ---- signing ---------------------------------------------------------- */

static int check_text(const char *text, size_t len, sl_err *err)
{
	if (len == 0 || text[len - 1] != '\n')
		return sl_fail(err, SL_EINVAL, "note text must end with a newline");
	if (!note_text_valid(text, len))
		return sl_fail(err, SL_EINVAL,
			       "note text must be UTF-8 with no control characters other than newline");
	return 0;
}

int note_signature_line(const char *text, size_t len, const note_signer *signer, buf *out,
			sl_err *err)
{
	uint8_t raw[4 + crypto_sign_ed25519_BYTES];
	int rc;

	rc = check_text(text, len, err);
	if (rc < 0)
		goto done;
	if (sodium_init() < 0) {
		rc = sl_fail(err, SL_EIO, "libsodium failed to initialise");
		goto done;
	}
	raw[0] = (uint8_t)(signer->key_id >> 24);
	raw[1] = (uint8_t)(signer->key_id >> 16);
	raw[2] = (uint8_t)(signer->key_id >> 8);
	raw[3] = (uint8_t)signer->key_id;
	/* RFC 8032 Ed25519 over the text bytes, final newline included. */
	crypto_sign_ed25519_detached(raw + 4, NULL, (const uint8_t *)text, len, signer->sk);
	buf_append(out, sig_prefix, SIG_PREFIX_LEN);
	buf_puts(out, signer->name);
	buf_putc(out, ' ');
	base64_encode(out, raw, sizeof(raw));
	buf_putc(out, '\n');
done:
	return rc;
}

int note_sign(const char *text, size_t len, const note_signer *signer, buf *out, sl_err *err)
{
	size_t start = out->len;
	int rc;

	buf_append(out, text, len);
	buf_putc(out, '\n');
	rc = note_signature_line(text, len, signer, out, err);
	if (rc < 0)
		buf_truncate(out, start);
	return rc;
}

/* ---- parsing and verifying -------------------------------------------- */

/* Last occurrence of "\n\n" in s[0, len), or -1. */
static ptrdiff_t last_blank_line(const char *s, size_t len)
{
	size_t i;

	for (i = len; i >= 2; i--)
		if (s[i - 2] == '\n' && s[i - 1] == '\n')
			return (ptrdiff_t)(i - 2);
	return -1;
}

/* Parse one signature line (without its "\n") into sig. */
static int parse_sig_line(const char *line, size_t len, note_signature *sig, sl_err *err)
{
	const char *name, *sp, *b64;
	size_t name_len, b64_len;
	buf raw = BUF_INIT;
	int rc = SL_EINVAL;

	if (len < SIG_PREFIX_LEN || memcmp(line, sig_prefix, SIG_PREFIX_LEN) != 0) {
		sl_fail(err, rc, "signature line does not start with an em dash and a space");
		goto done;
	}
	name = line + SIG_PREFIX_LEN;
	sp = memchr(name, ' ', len - SIG_PREFIX_LEN);
	if (!sp) {
		sl_fail(err, rc, "signature line has no space between key name and signature");
		goto done;
	}
	name_len = (size_t)(sp - name);
	b64 = sp + 1;
	b64_len = len - SIG_PREFIX_LEN - name_len - 1;
	if (!note_name_valid(name, name_len)) {
		sl_fail(err, rc, "signature line has an invalid key name \"%.*s\"",
			(int)(name_len > 100 ? 100 : name_len), name);
		goto done;
	}
	/* 4-byte key id plus at least one signature byte, as Go requires. */
	if (b64_len == 0 || base64_decode(&raw, b64, b64_len) != 0 || raw.len < 5) {
		sl_fail(err, rc, "signature by \"%.*s\" is not valid base64 of a key id and signature",
			(int)(name_len > 100 ? 100 : name_len), name);
		goto done;
	}
	sig->name = xstrndup(name, name_len);
	sig->key_id = (uint32_t)(uint8_t)raw.data[0] << 24 | (uint32_t)(uint8_t)raw.data[1] << 16 |
		      (uint32_t)(uint8_t)raw.data[2] << 8 | (uint8_t)raw.data[3];
	sig->sig_len = raw.len - 4;
	sig->sig = xmalloc(sig->sig_len);
	memcpy(sig->sig, raw.data + 4, sig->sig_len);
	rc = 0;
done:
	buf_release(&raw);
	return rc;
}

int note_parse(const char *msg, size_t len, note_parsed *out, sl_err *err)
{
	note_parsed p = NOTE_PARSED_INIT;
	const char *sigs, *end = msg + len;
	ptrdiff_t split;
	int rc = SL_EINVAL;

	*out = p;
	if (!note_text_valid(msg, len)) {
		sl_fail(err, rc, "malformed note: not UTF-8, or a control character other than newline");
		goto done;
	}
	/* The text ends at the LAST blank line (signed-note "Format"), so text
	 * may itself contain blank lines. */
	split = last_blank_line(msg, len);
	if (split < 0) {
		sl_fail(err, rc, "malformed note: no blank line before the signatures");
		goto done;
	}
	p.text_len = (size_t)split + 1;
	sigs = msg + split + 2;
	if (sigs == end || end[-1] != '\n') {
		sl_fail(err, rc, "malformed note: no signature lines, or the last one lacks its newline");
		goto done;
	}
	p.sigs = xcalloc(NOTE_MAX_SIGNATURES, sizeof(*p.sigs));
	while (sigs < end) {
		const char *nl = memchr(sigs, '\n', (size_t)(end - sigs)); /* found: end[-1] is '\n' */
		if (p.n_sigs == NOTE_MAX_SIGNATURES) {
			sl_fail(err, rc, "malformed note: more than %d signatures", NOTE_MAX_SIGNATURES);
			goto done;
		}
		if (parse_sig_line(sigs, (size_t)(nl - sigs), &p.sigs[p.n_sigs], err) < 0) {
			sl_err_prefix(err, "malformed note: signature line %zu", p.n_sigs + 1);
			goto done;
		}
		p.n_sigs++;
		sigs = nl + 1;
	}
	*out = p;
	p = (note_parsed)NOTE_PARSED_INIT;
	rc = 0;
done:
	note_parsed_release(&p);
	return rc;
}

void note_parsed_release(note_parsed *p)
{
	size_t i;

	for (i = 0; i < p->n_sigs; i++) {
		free(p->sigs[i].name);
		free(p->sigs[i].sig);
	}
	free(p->sigs);
	*p = (note_parsed)NOTE_PARSED_INIT;
}

/* Index of the verifier for (name, key_id), or -1 when the key is unknown. */
static int find_verifier(note_verifier *const *vs, size_t n, const char *name, uint32_t key_id)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (vs[i]->key_id == key_id && strcmp(vs[i]->name, name) == 0)
			return (int)i;
	return -1;
}

int note_open(const char *msg, size_t len, note_verifier *const *verifiers, size_t n_verifiers,
	      size_t *text_len, uint64_t *verified_mask, sl_err *err)
{
	note_parsed p = NOTE_PARSED_INIT;
	uint64_t mask = 0;
	size_t i;
	int rc;

	if (n_verifiers > NOTE_MAX_VERIFIERS) {
		rc = sl_fail(err, SL_EINVAL, "at most %d verifier keys per note", NOTE_MAX_VERIFIERS);
		goto done;
	}
	/* Two keys with one (name, id) would make "which key signed" ambiguous;
	 * only a misconfigured key list can cause it, so refuse outright. */
	for (i = 0; i < n_verifiers; i++) {
		int j = find_verifier(verifiers, i, verifiers[i]->name, verifiers[i]->key_id);
		if (j >= 0) {
			rc = sl_fail(err, SL_EINVAL, "ambiguous verifier keys: two are %s+%08x",
				     verifiers[i]->name, (unsigned)verifiers[i]->key_id);
			goto done;
		}
	}
	rc = note_parse(msg, len, &p, err);
	if (rc < 0)
		goto done;
	if (sodium_init() < 0) {
		rc = sl_fail(err, SL_EIO, "libsodium failed to initialise");
		goto done;
	}
	for (i = 0; i < p.n_sigs; i++) {
		const note_signature *s = &p.sigs[i];
		int j = find_verifier(verifiers, n_verifiers, s->name, s->key_id);
		if (j < 0)
			continue; /* unknown key: the spec says MUST ignore */
		if (s->sig_len != crypto_sign_ed25519_BYTES ||
		    crypto_sign_ed25519_verify_detached(s->sig, (const uint8_t *)msg, p.text_len,
							verifiers[j]->pk) != 0) {
			rc = sl_fail(err, SL_ECORRUPT, "invalid signature by key %s+%08x", s->name,
				     (unsigned)s->key_id);
			goto done;
		}
		mask |= (uint64_t)1 << j;
	}
	if (mask == 0) {
		rc = sl_fail(err, SL_ENOTFOUND, "note has no signature from a known key");
		goto done;
	}
	if (text_len)
		*text_len = p.text_len;
	if (verified_mask)
		*verified_mask = mask;
done:
	note_parsed_release(&p);
	return rc;
}
