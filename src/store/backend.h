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
	int (*event_person_add)(void *impl, const store_event_person *ep, sl_err *err);
	int (*person_events)(void *impl, const char *person, store_seq_cb cb, void *ctx, sl_err *err);

	int (*amendment_put)(void *impl, uint64_t request_seq, uint64_t target_seq, const char *requester,
	                     const char *data, sl_err *err);
	int (*amendment_decide)(void *impl, uint64_t request_seq, const char *status, uint64_t decided_seq,
	                        sl_err *err);
	int (*amendment_get)(void *impl, uint64_t request_seq, store_amendment_cb cb, void *ctx, sl_err *err);
	int (*amendments_of)(void *impl, uint64_t target_seq, store_amendment_cb cb, void *ctx, sl_err *err);

	int (*person_register)(void *impl, const store_person *p, sl_err *err);
	int (*person_update)(void *impl, const store_person *p, sl_err *err);
	int (*person_amended)(void *impl, const char *id, uint64_t amended_seq, sl_err *err);
	int (*link_add)(void *impl, const char *a, const char *b, const char *relation, uint64_t seq,
	                const char *day, sl_err *err);
	int (*link_end)(void *impl, const char *a, const char *b, const char *relation, uint64_t seq,
	                const char *day, sl_err *err);
	int (*episode_start)(void *impl, const store_episode *e, bool unless_open, sl_err *err);
	int (*episode_end)(void *impl, const char *child, const char *type, uint64_t seq, const char *day,
	                   const char *patch, unsigned *ended, sl_err *err);
	int (*episode_open)(void *impl, const char *child, const char *type, uint64_t *start_seq, char **detail,
	                    sl_err *err);
	int (*episode_detail)(void *impl, const char *child, const char *type, uint64_t start_seq,
	                      const char *detail, sl_err *err);
	int (*cp_category_add)(void *impl, uint64_t plan_seq, uint64_t seq, const char *child, const char *category,
	                       const char *day, sl_err *err);
	int (*visit_put)(void *impl, const store_visit *v, sl_err *err);
	int (*note_put)(void *impl, const store_note *n, sl_err *err);
	int (*concern_put)(void *impl, const store_concern *c, sl_err *err);
	int (*concern_resolve)(void *impl, uint64_t concern_seq, const store_closing *c, sl_err *err);
	int (*injury_put)(void *impl, const store_injury *i, sl_err *err);
	int (*missing_start)(void *impl, const char *child, uint64_t seq, const char *day, const char *indicators,
	                     sl_err *err);
	int (*missing_end)(void *impl, const char *child, uint64_t seq, const char *day, int return_interview,
	                   sl_err *err);
	int (*missing_interview)(void *impl, const char *child, uint64_t seq, const char *day, sl_err *err);
	int (*risk_flag_put)(void *impl, const store_risk_flag *r, sl_err *err);
	int (*risk_clear)(void *impl, const char *person, const char *agency, const store_closing *c, sl_err *err);
	int (*allocation_start)(void *impl, const char *child, const char *worker, const char *team, uint64_t seq,
	                        const char *day, sl_err *err);
	int (*allocation_end)(void *impl, const char *child, uint64_t seq, const char *day, sl_err *err);
	int (*escalation_put)(void *impl, const store_escalation *e, sl_err *err);
	int (*escalation_answer)(void *impl, uint64_t escalation_seq, const store_closing *c, sl_err *err);
	int (*alert_raise)(void *impl, const store_alert *a, sl_err *err);
	int (*alert_acknowledge)(void *impl, const char *ref, const store_closing *c, sl_err *err);
	int (*alert_resolve)(void *impl, const char *ref, const store_closing *c, sl_err *err);
	int (*alert_seq)(void *impl, const char *ref, uint64_t *seq, sl_err *err);
	int (*alert_open_count)(void *impl, uint64_t *count, sl_err *err);
	int (*projection_dump)(void *impl, store_row_cb cb, void *ctx, sl_err *err);
	int (*projection_counts)(void *impl, store_count_cb cb, void *ctx, sl_err *err);
	int (*projections_clear)(void *impl, sl_err *err);

	/* --- users, sessions, partner tokens, access grants (sqlite_auth.c) --- */
	int (*user_add)(void *impl, const store_user *u, const char *now, sl_err *err);
	int (*user_get)(void *impl, const char *login, store_user_cb cb, void *ctx, sl_err *err);
	int (*user_list)(void *impl, store_user_cb cb, void *ctx, sl_err *err);
	int (*user_password)(void *impl, const char *login, const char *password, const char *now, sl_err *err);
	int (*user_disable)(void *impl, const char *login, const char *now, sl_err *err);
	int (*session_add)(void *impl, const store_session *x, sl_err *err);
	int (*session_get)(void *impl, const uint8_t *token_hash, store_session_cb cb, void *ctx, sl_err *err);
	int (*session_touch)(void *impl, const uint8_t *token_hash, int64_t last_seen, sl_err *err);
	int (*session_delete)(void *impl, const uint8_t *token_hash, sl_err *err);
	int (*session_purge)(void *impl, int64_t idle_before, int64_t created_before, sl_err *err);
	int (*login_failure_add)(void *impl, const char *login, int64_t at, const char *client, sl_err *err);
	int (*login_failures)(void *impl, const char *login, int64_t since, int64_t *times, unsigned max,
	                      unsigned *n, sl_err *err);
	int (*login_failures_clear)(void *impl, const char *login, int64_t before, sl_err *err);
	int (*token_add)(void *impl, const store_token *t, sl_err *err);
	int (*token_get)(void *impl, const uint8_t *token_hash, store_token_cb cb, void *ctx, sl_err *err);
	int (*token_list)(void *impl, store_token_cb cb, void *ctx, sl_err *err);
	int (*token_revoke)(void *impl, const char *agency, const char *name, const char *now, sl_err *err);
	int (*access_append)(void *impl, const store_event *ev, sl_err *err);
	int (*access_last_seq)(void *impl, uint64_t *seq, sl_err *err);
	int (*access_scan)(void *impl, uint64_t from, uint64_t to, store_event_cb cb, void *ctx, sl_err *err);
	int (*access_of_child)(void *impl, const char *child, store_event_cb cb, void *ctx, sl_err *err);
	int (*seal)(void *impl, const char *child, uint64_t seq, const char *day, const char *by, sl_err *err);
	int (*unseal)(void *impl, const char *child, uint64_t seq, const char *day, const char *by, sl_err *err);
	int (*grant)(void *impl, const char *child, const char *login, uint64_t seq, const char *day, const char *by,
	             sl_err *err);
	int (*revoke)(void *impl, const char *child, const char *login, uint64_t seq, const char *day,
	              const char *by, sl_err *err);
	int (*access_facts)(void *impl, const char *child, const char *login, store_access_facts *out,
	                    sl_err *err);

	/* --- reads for the API and pages (sqlite_read.c) --- */
	int (*person_get)(void *impl, const char *id, store_person_cb cb, void *ctx, sl_err *err);
	int (*person_by_nhs)(void *impl, const char *nhs_number, store_person_cb cb, void *ctx, sl_err *err);
	int (*child_episodes)(void *impl, const char *child, store_episode_cb cb, void *ctx, sl_err *err);
	int (*child_cp_categories)(void *impl, const char *child, store_cp_category_cb cb, void *ctx, sl_err *err);
	int (*child_concerns)(void *impl, const char *child, bool open_only, store_concern_cb cb, void *ctx,
	                      sl_err *err);
	int (*child_allocation)(void *impl, const char *child, store_allocation_cb cb, void *ctx, sl_err *err);
	int (*child_allocated_to)(void *impl, const char *child, const char *worker, const char *team, bool *out,
	                          sl_err *err);
	int (*worker_allocations)(void *impl, const char *worker, store_allocation_cb cb, void *ctx, sl_err *err);
	int (*child_counts)(void *impl, const char *child, store_child_tally *out, sl_err *err);
	int (*child_counts_keys)(void *impl, const char *child, store_child_tally *out, store_chrono_key_cb cb,
	                         void *ctx, sl_err *err);
	int (*person_links)(void *impl, const char *person, uint64_t max_seq, store_link_cb cb, void *ctx, sl_err *err);
	int (*person_risk_flags)(void *impl, const char *person, uint64_t max_seq, store_risk_flag_cb cb, void *ctx,
	                         sl_err *err);
	int (*alerts)(void *impl, const store_alert_query *q, store_alert_cb cb, void *ctx, sl_err *err);
	int (*chronology)(void *impl, const store_chrono_query *q, store_chrono_cb cb, void *ctx, sl_err *err);
	int (*chronology_keys)(void *impl, const store_chrono_query *q, store_chrono_key_cb cb, void *ctx, sl_err *err);
	int (*caseloads)(void *impl, const char *team, const char *worker, const char *overdue_codes,
	                 store_caseload_cb cb, void *ctx, sl_err *err);
	int (*amendments_pending)(void *impl, store_amendment_cb cb, void *ctx, sl_err *err);
	int (*amendment_requests_of)(void *impl, uint64_t target_seq, store_amendment_cb cb, void *ctx, sl_err *err);
	int (*events_of_kind)(void *impl, const char *kind, const char *team, unsigned limit, store_event_cb cb,
	                      void *ctx, sl_err *err);
	/* the managers' and the director's lists and measures */
	int (*episodes_of_types)(void *impl, const char *types, store_episode_cb cb, void *ctx, sl_err *err);
	int (*alerts_by_month)(void *impl, const char *from_day, store_month_count_cb cb, void *ctx, sl_err *err);
	int (*escalations)(void *impl, const char *to, bool open_only, store_escalation_cb cb, void *ctx, sl_err *err);
	int (*seen_visits_of)(void *impl, const char *types, store_child_visit_cb cb, void *ctx, sl_err *err);
	int (*allocations_all)(void *impl, store_allocation_span_cb cb, void *ctx, sl_err *err);
	int (*unallocated)(void *impl, store_unallocated_cb cb, void *ctx, sl_err *err);
	int (*grants_of)(void *impl, const char *login, store_grant_cb cb, void *ctx, sl_err *err);
} store_backend_ops;

extern const store_backend_ops store_sqlite_ops;

#endif
