/*
 * backend.h - what a storage backend implements (private to src/store/).
 *
 * A backend is a table of functions with the same meaning as the public
 * store_* calls in store.h, taking the backend's own handle.  store.c owns
 * the dispatch, so a new engine (PostgreSQL) is a new ops table and one row
 * in store.c's backend list; no caller changes.
 */
#ifndef SL_STORE_BACKEND_H
#define SL_STORE_BACKEND_H

#include "store/store.h"

typedef struct store_backend_ops {
	const char *name;
	/* Does this backend handle the location string? */
	bool (*accepts)(const char *location);
	int (*open)(const char *location, int flags, void **impl, sl_err *err);
	void (*close)(void *impl);
	int (*begin)(void *impl, sl_err *err);
	int (*commit)(void *impl, sl_err *err);
	void (*rollback)(void *impl);
	int (*schema_version)(void *impl, int *version, sl_err *err);

	int (*meta_get)(void *impl, const char *key, char **value, sl_err *err);
	int (*meta_put)(void *impl, const char *key, const char *value, sl_err *err);

	int (*event_append)(void *impl, const store_event *ev, sl_err *err);
	int (*event_get)(void *impl, uint64_t seq, store_event_copy *out, sl_err *err);
	int (*event_last_seq)(void *impl, uint64_t *seq, sl_err *err);
	int (*event_scan)(void *impl, uint64_t from, uint64_t to, store_event_cb cb, void *ctx, sl_err *err);

	int (*tile_read)(void *impl, int log, unsigned level, uint64_t index, uint8_t *hashes,
	                 unsigned *count, sl_err *err);
	int (*tile_write)(void *impl, int log, unsigned level, uint64_t index, const uint8_t *hashes,
	                  unsigned count, sl_err *err);
	int (*tile_tree_size)(void *impl, int log, uint64_t *size, sl_err *err);

	int (*checkpoint_put)(void *impl, int log, uint64_t size, const char *note, const char *created_at,
	                      sl_err *err);
	int (*checkpoint_latest)(void *impl, int log, uint64_t *size, char **note, sl_err *err);
	int (*checkpoint_scan)(void *impl, int log, store_checkpoint_cb cb, void *ctx, sl_err *err);

	int (*ref_put)(void *impl, const char *ref, uint64_t seq, sl_err *err);
	int (*ref_get)(void *impl, const char *ref, uint64_t *seq, sl_err *err);
	int (*person_put)(void *impl, const char *id, const char *role, uint64_t seq, sl_err *err);
	int (*person_role)(void *impl, const char *id, char **role, sl_err *err);
	int (*event_person_add)(void *impl, const char *person, uint64_t seq, sl_err *err);
	int (*person_events)(void *impl, const char *person, store_seq_cb cb, void *ctx, sl_err *err);

	int (*amendment_put)(void *impl, uint64_t request_seq, uint64_t target_seq, const char *requester,
	                     const char *data, sl_err *err);
	int (*amendment_decide)(void *impl, uint64_t request_seq, const char *status, uint64_t decided_seq,
	                        sl_err *err);
	int (*amendment_get)(void *impl, uint64_t request_seq, store_amendment_cb cb, void *ctx, sl_err *err);
	int (*amendments_of)(void *impl, uint64_t target_seq, store_amendment_cb cb, void *ctx, sl_err *err);
	int (*projections_clear)(void *impl, sl_err *err);
} store_backend_ops;

extern const store_backend_ops store_sqlite_ops;

#endif
