/*
 * ledger.c - appending events, the Merkle tree over them, checkpoints.
 * See ledger.h for the data model.
 *
 * Salts come from libsodium's CSPRNG in batches of 256, so a bulk import
 * makes one getrandom() call per 256 events rather than one per event.
 */
#include "util/common.h"
#include "ledger/ledger.h"
#include "ledger/checkpoint.h"
#include "ledger/merkle.h"
#include "util/sha256.h"

#include <sodium.h>
#include <time.h>

#define SALT_POOL 256

struct ledger {
	store *store;
	int log;
	merkle_tree *tree;
	merkle_tiles_io io;
	uint8_t salts[SALT_POOL][LEDGER_SALT_LEN];
	unsigned salts_left;
	buf scratch;
};

static int tile_read(void *ctx, unsigned level, uint64_t index, uint8_t *hashes, unsigned *count, sl_err *err)
{
	ledger *l = ctx;
	return store_tile_read(l->store, l->log, level, index, hashes, count, err);
}

static int tile_write(void *ctx, unsigned level, uint64_t index, const uint8_t *hashes, unsigned count,
                      sl_err *err)
{
	ledger *l = ctx;
	return store_tile_write(l->store, l->log, level, index, hashes, count, err);
}

static int load_tree(ledger *l, sl_err *err)
{
	uint64_t size;
	int rc;

	merkle_tree_free(l->tree);
	l->tree = NULL;
	if ((rc = store_tile_tree_size(l->store, l->log, &size, err)))
		return rc;
	return merkle_tree_open(&l->io, size, &l->tree, err);
}

int ledger_open(store *s, int log, ledger **out, sl_err *err)
{
	ledger *l = xcalloc(1, sizeof(*l));
	int rc;

	*out = NULL;
	if (sodium_init() < 0) {
		free(l);
		return sl_fail(err, SL_EIO, "libsodium failed to initialise");
	}
	l->store = s;
	l->log = log;
	l->io.ctx = l;
	l->io.read = tile_read;
	l->io.write = tile_write;
	if ((rc = load_tree(l, err))) {
		ledger_close(l);
		return rc;
	}
	*out = l;
	return 0;
}

void ledger_close(ledger *l)
{
	if (!l)
		return;
	merkle_tree_free(l->tree);
	buf_release(&l->scratch);
	sodium_memzero(l->salts, sizeof(l->salts));
	free(l);
}

uint64_t ledger_size(const ledger *l) { return merkle_tree_size(l->tree); }
store *ledger_store(ledger *l) { return l->store; }

/* Every event of an import is stamped, thousands a second: the seconds
 * part is formatted once per second (per thread) and copied. */
void ledger_now(char out[LEDGER_TIME_LEN])
{
	static _Thread_local time_t cached_sec = (time_t)-1;
	static _Thread_local char cached[LEDGER_TIME_LEN];
	static _Thread_local size_t cached_len;
	struct timespec ts;
	size_t n;

	clock_gettime(CLOCK_REALTIME, &ts);
	if (ts.tv_sec != cached_sec) {
		struct tm tm;
		gmtime_r(&ts.tv_sec, &tm);
		cached_len = strftime(cached, sizeof(cached), "%Y-%m-%dT%H:%M:%S", &tm);
		cached_sec = ts.tv_sec;
	}
	memcpy(out, cached, cached_len);
	n = cached_len;
	unsigned ms = (unsigned)(ts.tv_nsec / 1000000) % 1000;

	out[n++] = '.';
	out[n++] = (char)('0' + ms / 100);
	out[n++] = (char)('0' + ms / 10 % 10);
	out[n++] = (char)('0' + ms % 10);
	out[n++] = 'Z';
	out[n] = '\0';
}

void ledger_commit_hash(const uint8_t salt[32], const char *event, size_t len, uint8_t out[32])
{
	sha256_two(salt, LEDGER_SALT_LEN, event, len, out);
}

/* Append s as a JSON string.  kind and recorded_at are plain ASCII when
 * written by us, but a tampered row may hold anything, and the leaf must
 * still be the RFC 8785 form of whatever is there. */
static void json_string(buf *out, const char *s)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *p;
	size_t plain = 0;

	/* Fast path: what we write ourselves never needs escaping. */
	while (s[plain] && (unsigned char)s[plain] >= 0x20 && s[plain] != '"' && s[plain] != '\\')
		plain++;
	buf_putc(out, '"');
	buf_append(out, s, plain);
	for (p = (const unsigned char *)s + plain; *p; p++) {
		switch (*p) {
		case '"': buf_puts(out, "\\\""); break;
		case '\\': buf_puts(out, "\\\\"); break;
		case '\b': buf_puts(out, "\\b"); break;
		case '\f': buf_puts(out, "\\f"); break;
		case '\n': buf_puts(out, "\\n"); break;
		case '\r': buf_puts(out, "\\r"); break;
		case '\t': buf_puts(out, "\\t"); break;
		default:
			if (*p < 0x20) {
				buf_puts(out, "\\u00");
				buf_putc(out, hex[*p >> 4]);
				buf_putc(out, hex[*p & 15]);
			} else {
				buf_putc(out, (char)*p);
			}
		}
	}
	buf_putc(out, '"');
}

/* printf is a fifth of building a leaf; a seq needs only digits. */
static void append_decimal(buf *out, uint64_t v)
{
	char digits[20];
	int n = 0;

	do {
		digits[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	buf_grow(out, (size_t)n);
	while (n)
		out->data[out->len++] = digits[--n];
	out->data[out->len] = '\0';
}

void ledger_leaf_data(buf *out, const uint8_t commit[32], const char *kind, const char *recorded_at, uint64_t seq)
{
	/* Members in RFC 8785 order: commit < kind < recorded_at < seq. */
	buf_puts(out, "{\"commit\":\"");
	buf_append_hex(out, commit, 32);
	buf_puts(out, "\",\"kind\":");
	json_string(out, kind);
	buf_puts(out, ",\"recorded_at\":");
	json_string(out, recorded_at);
	buf_puts(out, ",\"seq\":");
	append_decimal(out, seq);
	buf_putc(out, '}');
}

void ledger_row_leaf_hash(const store_event *ev, buf *scratch, uint8_t out[32])
{
	static const uint8_t no_salt[32];
	uint8_t commit[32];

	ledger_commit_hash(ev->salt ? ev->salt : no_salt, ev->event, ev->event_len, commit);
	buf_reset(scratch);
	ledger_leaf_data(scratch, commit, ev->kind, ev->recorded_at, ev->seq);
	merkle_leaf_hash(scratch->data, scratch->len, out);
}

static const uint8_t *next_salt(ledger *l)
{
	if (l->salts_left == 0) {
		randombytes_buf(l->salts, sizeof(l->salts));
		l->salts_left = SALT_POOL;
	}
	return l->salts[--l->salts_left];
}

int ledger_append(ledger *l, const char *kind, const char *canonical, size_t len,
                  const ledger_append_opts *opts, ledger_entry *out, sl_err *err)
{
	uint64_t seq = merkle_tree_size(l->tree) + 1;
	store_event ev;
	int rc;

	if (opts && opts->seq && opts->seq != seq)
		return sl_fail(err, SL_ECONFLICT, "seq %llu does not follow the ledger's last seq %llu",
		               (unsigned long long)opts->seq, (unsigned long long)(seq - 1));
	out->seq = seq;
	if (opts && opts->recorded_at)
		snprintf(out->recorded_at, sizeof(out->recorded_at), "%s", opts->recorded_at);
	else
		ledger_now(out->recorded_at);
	ev.seq = seq;
	ev.recorded_at = out->recorded_at;
	ev.kind = kind;
	ev.salt = (opts && opts->salt) ? opts->salt : next_salt(l);
	ev.event = canonical;
	ev.event_len = len;
	if ((rc = store_log_append(l->store, l->log, &ev, err)))
		return rc;
	ledger_row_leaf_hash(&ev, &l->scratch, out->leaf_hash);
	return merkle_tree_append(l->tree, out->leaf_hash, err);
}

int ledger_flush(ledger *l, sl_err *err)
{
	return merkle_tree_flush(l->tree, err);
}

int ledger_reload(ledger *l, sl_err *err)
{
	return load_tree(l, err);
}

int ledger_root(ledger *l, uint64_t size, uint8_t root[32], sl_err *err)
{
	if (size > ledger_size(l))
		return sl_fail(err, SL_EINVAL, "tree size %llu is beyond the ledger's %llu entries",
		               (unsigned long long)size, (unsigned long long)ledger_size(l));
	return merkle_tree_root(l->tree, size, root, err);
}

int ledger_leaf_hash(ledger *l, uint64_t seq, uint8_t out[32], sl_err *err)
{
	if (seq == 0 || seq > ledger_size(l))
		return sl_fail(err, SL_ENOTFOUND, "no entry with seq %llu (the ledger holds 1 to %llu)",
		               (unsigned long long)seq, (unsigned long long)ledger_size(l));
	return merkle_tree_leaf(l->tree, seq - 1, out, err);
}

int ledger_inclusion_proof(ledger *l, uint64_t seq, uint64_t size, uint8_t **path, size_t *n, sl_err *err)
{
	*path = NULL;
	*n = 0;
	if (seq == 0 || seq > size)
		return sl_fail(err, SL_EINVAL, "seq %llu is not in a tree of size %llu", (unsigned long long)seq,
		               (unsigned long long)size);
	if (size > ledger_size(l))
		return sl_fail(err, SL_EINVAL, "tree size %llu is beyond the ledger's %llu entries",
		               (unsigned long long)size, (unsigned long long)ledger_size(l));
	return merkle_tree_inclusion_proof(l->tree, seq - 1, size, path, n, err);
}

int ledger_consistency_proof(ledger *l, uint64_t from, uint64_t to, uint8_t **path, size_t *n, sl_err *err)
{
	*path = NULL;
	*n = 0;
	if (from == 0 || from > to)
		return sl_fail(err, SL_EINVAL, "a consistency proof needs 1 <= from <= to (got %llu and %llu)",
		               (unsigned long long)from, (unsigned long long)to);
	if (to > ledger_size(l))
		return sl_fail(err, SL_EINVAL, "tree size %llu is beyond the ledger's %llu entries",
		               (unsigned long long)to, (unsigned long long)ledger_size(l));
	return merkle_tree_consistency_proof(l->tree, from, to, path, n, err);
}

int ledger_sign_checkpoint(ledger *l, const char *origin, const note_signer *signer, char **note_out,
                           sl_err *err)
{
	uint64_t size = ledger_size(l);
	uint8_t root[32];
	char now[LEDGER_TIME_LEN];
	buf note = BUF_INIT;
	int rc;

	if (note_out)
		*note_out = NULL;
	if ((rc = merkle_tree_root(l->tree, size, root, err)))
		goto done;
	if ((rc = checkpoint_sign(&note, origin, size, root, signer, err)))
		goto done;
	ledger_now(now);
	if ((rc = store_checkpoint_put(l->store, l->log, size, note.data, now, err)))
		goto done;
	if (note_out)
		*note_out = buf_detach(&note);
done:
	buf_release(&note);
	return rc;
}
