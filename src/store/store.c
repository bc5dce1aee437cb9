/*
 * store.c - picks a backend for a location and forwards every call to it.
 *
 * Kept deliberately thin: validation of arguments that every backend would
 * repeat (a NULL location, a tile count out of range) happens here once.
 */
#include "util/common.h"
#include "store/backend.h"

struct store {
	const store_backend_ops *ops;
	void *impl;
};

/* First match wins; SQLite accepts any plain file path, so it goes last. */
static const store_backend_ops *const backends[] = {
	&store_sqlite_ops,
};

int store_open(const char *location, int flags, store **out, sl_err *err)
{
	const store_backend_ops *ops = NULL;
	store *s;
	size_t i;
	int rc;

	*out = NULL;
	if (!location || !*location)
		return sl_fail(err, SL_EINVAL, "no database given (use --db FILE or SAFELEDGER_DB)");
	for (i = 0; i < SL_ARRAY_LEN(backends) && !ops; i++)
		if (backends[i]->accepts(location))
			ops = backends[i];
	if (!ops)
		return sl_fail(err, SL_EINVAL, "%s: no storage backend handles this location", location);
	s = xcalloc(1, sizeof(*s));
	s->ops = ops;
	rc = ops->open(location, flags, &s->impl, err);
	if (rc) {
		free(s);
		return rc;
	}
	*out = s;
	return 0;
}

void store_close(store *s)
{
	if (!s)
		return;
	s->ops->close(s->impl);
	free(s);
}

const char *store_backend(const store *s) { return s->ops->name; }
int store_begin(store *s, sl_err *err) { return s->ops->begin(s->impl, err); }
int store_commit(store *s, sl_err *err) { return s->ops->commit(s->impl, err); }
void store_rollback(store *s) { s->ops->rollback(s->impl); }

int store_schema_version(store *s, int *version, sl_err *err)
{
	return s->ops->schema_version(s->impl, version, err);
}

int store_meta_get(store *s, const char *key, char **value, sl_err *err)
{
	return s->ops->meta_get(s->impl, key, value, err);
}

int store_meta_put(store *s, const char *key, const char *value, sl_err *err)
{
	return s->ops->meta_put(s->impl, key, value, err);
}

int store_event_append(store *s, const store_event *ev, sl_err *err)
{
	return s->ops->event_append(s->impl, ev, err);
}

int store_event_get(store *s, uint64_t seq, store_event_copy *out, sl_err *err)
{
	return s->ops->event_get(s->impl, seq, out, err);
}

void store_event_release(store_event_copy *c)
{
	free(c->storage);
	memset(c, 0, sizeof(*c));
}

int store_event_last_seq(store *s, uint64_t *seq, sl_err *err)
{
	return s->ops->event_last_seq(s->impl, seq, err);
}

int store_event_scan(store *s, uint64_t from, uint64_t to, store_event_cb cb, void *ctx, sl_err *err)
{
	return s->ops->event_scan(s->impl, from, to, cb, ctx, err);
}

int store_tile_read(store *s, int log, unsigned level, uint64_t index, uint8_t *hashes, unsigned *count,
                    sl_err *err)
{
	return s->ops->tile_read(s->impl, log, level, index, hashes, count, err);
}

int store_tile_write(store *s, int log, unsigned level, uint64_t index, const uint8_t *hashes,
                     unsigned count, sl_err *err)
{
	if (count == 0 || count > 256)
		return sl_fail(err, SL_EINVAL, "tile of %u hashes: a tile holds 1 to 256", count);
	return s->ops->tile_write(s->impl, log, level, index, hashes, count, err);
}

int store_tile_tree_size(store *s, int log, uint64_t *size, sl_err *err)
{
	return s->ops->tile_tree_size(s->impl, log, size, err);
}

int store_checkpoint_put(store *s, int log, uint64_t size, const char *note, const char *created_at,
                         sl_err *err)
{
	return s->ops->checkpoint_put(s->impl, log, size, note, created_at, err);
}

int store_checkpoint_latest(store *s, int log, uint64_t *size, char **note, sl_err *err)
{
	return s->ops->checkpoint_latest(s->impl, log, size, note, err);
}

int store_checkpoint_scan(store *s, int log, store_checkpoint_cb cb, void *ctx, sl_err *err)
{
	return s->ops->checkpoint_scan(s->impl, log, cb, ctx, err);
}

int store_ref_put(store *s, const char *ref, uint64_t seq, sl_err *err)
{
	return s->ops->ref_put(s->impl, ref, seq, err);
}

int store_ref_get(store *s, const char *ref, uint64_t *seq, sl_err *err)
{
	return s->ops->ref_get(s->impl, ref, seq, err);
}

int store_person_put(store *s, const char *id, const char *role, uint64_t seq, sl_err *err)
{
	return s->ops->person_put(s->impl, id, role, seq, err);
}

int store_person_role(store *s, const char *id, char **role, sl_err *err)
{
	return s->ops->person_role(s->impl, id, role, err);
}

int store_event_person_add(store *s, const char *person, uint64_t seq, sl_err *err)
{
	return s->ops->event_person_add(s->impl, person, seq, err);
}

int store_person_events(store *s, const char *person, store_seq_cb cb, void *ctx, sl_err *err)
{
	return s->ops->person_events(s->impl, person, cb, ctx, err);
}

int store_amendment_put(store *s, uint64_t request_seq, uint64_t target_seq, const char *requester,
                        const char *data, sl_err *err)
{
	return s->ops->amendment_put(s->impl, request_seq, target_seq, requester, data, err);
}

int store_amendment_decide(store *s, uint64_t request_seq, const char *status, uint64_t decided_seq,
                           sl_err *err)
{
	return s->ops->amendment_decide(s->impl, request_seq, status, decided_seq, err);
}

int store_amendment_get(store *s, uint64_t request_seq, store_amendment_cb cb, void *ctx, sl_err *err)
{
	return s->ops->amendment_get(s->impl, request_seq, cb, ctx, err);
}

int store_amendments_of(store *s, uint64_t target_seq, store_amendment_cb cb, void *ctx, sl_err *err)
{
	return s->ops->amendments_of(s->impl, target_seq, cb, ctx, err);
}

int store_projections_clear(store *s, sl_err *err)
{
	return s->ops->projections_clear(s->impl, err);
}
