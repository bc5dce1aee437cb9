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
	/* A scratch store may be "": SQLite's private temporary database. */
	if (!location || (!*location && !(flags & STORE_SCRATCH)))
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

int store_event_person_add(store *s, const store_event_person *ep, sl_err *err)
{
	return s->ops->event_person_add(s->impl, ep, err);
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

/* --- the read model --- */

int store_person_register(store *s, const store_person *p, sl_err *err)
{
	return s->ops->person_register(s->impl, p, err);
}

int store_person_update(store *s, const store_person *p, sl_err *err)
{
	return s->ops->person_update(s->impl, p, err);
}

int store_person_amended(store *s, const char *id, uint64_t amended_seq, sl_err *err)
{
	return s->ops->person_amended(s->impl, id, amended_seq, err);
}

int store_link_add(store *s, const char *a, const char *b, const char *relation, uint64_t seq,
                   const char *day, sl_err *err)
{
	return s->ops->link_add(s->impl, a, b, relation, seq, day, err);
}

int store_link_end(store *s, const char *a, const char *b, const char *relation, uint64_t seq,
                   const char *day, sl_err *err)
{
	return s->ops->link_end(s->impl, a, b, relation, seq, day, err);
}

int store_episode_start(store *s, const store_episode *e, bool unless_open, sl_err *err)
{
	return s->ops->episode_start(s->impl, e, unless_open, err);
}

int store_episode_end(store *s, const char *child, const char *type, uint64_t seq, const char *day,
                      const char *patch, unsigned *ended, sl_err *err)
{
	return s->ops->episode_end(s->impl, child, type, seq, day, patch, ended, err);
}

int store_episode_open(store *s, const char *child, const char *type, uint64_t *start_seq, char **detail,
                       sl_err *err)
{
	return s->ops->episode_open(s->impl, child, type, start_seq, detail, err);
}

int store_episode_detail(store *s, const char *child, const char *type, uint64_t start_seq, const char *detail,
                         sl_err *err)
{
	return s->ops->episode_detail(s->impl, child, type, start_seq, detail, err);
}

int store_cp_category_add(store *s, uint64_t plan_seq, uint64_t seq, const char *child, const char *category,
                          const char *day, sl_err *err)
{
	return s->ops->cp_category_add(s->impl, plan_seq, seq, child, category, day, err);
}

int store_visit_put(store *s, const store_visit *v, sl_err *err)
{
	return s->ops->visit_put(s->impl, v, err);
}

int store_note_put(store *s, const store_note *n, sl_err *err)
{
	return s->ops->note_put(s->impl, n, err);
}

int store_concern_put(store *s, const store_concern *c, sl_err *err)
{
	return s->ops->concern_put(s->impl, c, err);
}

int store_concern_resolve(store *s, uint64_t concern_seq, const store_closing *c, sl_err *err)
{
	return s->ops->concern_resolve(s->impl, concern_seq, c, err);
}

int store_injury_put(store *s, const store_injury *i, sl_err *err)
{
	return s->ops->injury_put(s->impl, i, err);
}

int store_missing_start(store *s, const char *child, uint64_t seq, const char *day, const char *indicators,
                        sl_err *err)
{
	return s->ops->missing_start(s->impl, child, seq, day, indicators, err);
}

int store_missing_end(store *s, const char *child, uint64_t seq, const char *day, int return_interview,
                      sl_err *err)
{
	return s->ops->missing_end(s->impl, child, seq, day, return_interview, err);
}

int store_missing_interview(store *s, const char *child, uint64_t seq, const char *day, sl_err *err)
{
	return s->ops->missing_interview(s->impl, child, seq, day, err);
}

int store_risk_flag_put(store *s, const store_risk_flag *r, sl_err *err)
{
	return s->ops->risk_flag_put(s->impl, r, err);
}

int store_risk_clear(store *s, const char *person, const char *agency, const store_closing *c, sl_err *err)
{
	return s->ops->risk_clear(s->impl, person, agency, c, err);
}

int store_allocation_start(store *s, const char *child, const char *worker, const char *team, uint64_t seq,
                           const char *day, sl_err *err)
{
	return s->ops->allocation_start(s->impl, child, worker, team, seq, day, err);
}

int store_allocation_end(store *s, const char *child, uint64_t seq, const char *day, sl_err *err)
{
	return s->ops->allocation_end(s->impl, child, seq, day, err);
}

int store_escalation_put(store *s, const store_escalation *e, sl_err *err)
{
	return s->ops->escalation_put(s->impl, e, err);
}

int store_escalation_answer(store *s, uint64_t escalation_seq, const store_closing *c, sl_err *err)
{
	return s->ops->escalation_answer(s->impl, escalation_seq, c, err);
}

int store_alert_raise(store *s, const store_alert *a, sl_err *err)
{
	return s->ops->alert_raise(s->impl, a, err);
}

int store_alert_acknowledge(store *s, const char *ref, const store_closing *c, sl_err *err)
{
	return s->ops->alert_acknowledge(s->impl, ref, c, err);
}

int store_alert_resolve(store *s, const char *ref, const store_closing *c, sl_err *err)
{
	return s->ops->alert_resolve(s->impl, ref, c, err);
}

int store_alert_seq(store *s, const char *ref, uint64_t *seq, sl_err *err)
{
	return s->ops->alert_seq(s->impl, ref, seq, err);
}

int store_alert_open_count(store *s, uint64_t *count, sl_err *err)
{
	return s->ops->alert_open_count(s->impl, count, err);
}

int store_projection_dump(store *s, store_row_cb cb, void *ctx, sl_err *err)
{
	return s->ops->projection_dump(s->impl, cb, ctx, err);
}

int store_projection_counts(store *s, store_count_cb cb, void *ctx, sl_err *err)
{
	return s->ops->projection_counts(s->impl, cb, ctx, err);
}

int store_projections_clear(store *s, sl_err *err)
{
	return s->ops->projections_clear(s->impl, err);
}

/* --- users, sessions, partner tokens, access grants --- */

int store_user_add(store *s, const store_user *u, const char *now, sl_err *err)
{
	return s->ops->user_add(s->impl, u, now, err);
}

int store_user_get(store *s, const char *login, store_user_cb cb, void *ctx, sl_err *err)
{
	return s->ops->user_get(s->impl, login, cb, ctx, err);
}

int store_user_list(store *s, store_user_cb cb, void *ctx, sl_err *err)
{
	return s->ops->user_list(s->impl, cb, ctx, err);
}

int store_user_password(store *s, const char *login, const char *password, const char *now, sl_err *err)
{
	return s->ops->user_password(s->impl, login, password, now, err);
}

int store_user_disable(store *s, const char *login, const char *now, sl_err *err)
{
	return s->ops->user_disable(s->impl, login, now, err);
}

int store_session_add(store *s, const store_session *x, sl_err *err)
{
	return s->ops->session_add(s->impl, x, err);
}

int store_session_get(store *s, const uint8_t token_hash[32], store_session_cb cb, void *ctx, sl_err *err)
{
	return s->ops->session_get(s->impl, token_hash, cb, ctx, err);
}

int store_session_touch(store *s, const uint8_t token_hash[32], int64_t last_seen, sl_err *err)
{
	return s->ops->session_touch(s->impl, token_hash, last_seen, err);
}

int store_session_delete(store *s, const uint8_t token_hash[32], sl_err *err)
{
	return s->ops->session_delete(s->impl, token_hash, err);
}

int store_session_purge(store *s, int64_t idle_before, int64_t created_before, sl_err *err)
{
	return s->ops->session_purge(s->impl, idle_before, created_before, err);
}

int store_login_failure_add(store *s, const char *login, int64_t at, const char *client, sl_err *err)
{
	return s->ops->login_failure_add(s->impl, login, at, client, err);
}

int store_login_failures(store *s, const char *login, int64_t since, int64_t *times, unsigned max, unsigned *n,
                         sl_err *err)
{
	return s->ops->login_failures(s->impl, login, since, times, max, n, err);
}

int store_login_failures_clear(store *s, const char *login, int64_t before, sl_err *err)
{
	return s->ops->login_failures_clear(s->impl, login, before, err);
}

int store_token_add(store *s, const store_token *t, sl_err *err)
{
	return s->ops->token_add(s->impl, t, err);
}

int store_token_get(store *s, const uint8_t token_hash[32], store_token_cb cb, void *ctx, sl_err *err)
{
	return s->ops->token_get(s->impl, token_hash, cb, ctx, err);
}

int store_token_list(store *s, store_token_cb cb, void *ctx, sl_err *err)
{
	return s->ops->token_list(s->impl, cb, ctx, err);
}

int store_token_revoke(store *s, const char *agency, const char *name, const char *now, sl_err *err)
{
	return s->ops->token_revoke(s->impl, agency, name, now, err);
}

/* The two logs share the ledger code; only their rows live apart. */
int store_log_append(store *s, int log, const store_event *ev, sl_err *err)
{
	if (log == STORE_LOG_CASES)
		return s->ops->event_append(s->impl, ev, err);
	if (log == STORE_LOG_ACCESS)
		return s->ops->access_append(s->impl, ev, err);
	return sl_fail(err, SL_EINVAL, "no log %d", log);
}

int store_log_last_seq(store *s, int log, uint64_t *seq, sl_err *err)
{
	if (log == STORE_LOG_CASES)
		return s->ops->event_last_seq(s->impl, seq, err);
	if (log == STORE_LOG_ACCESS)
		return s->ops->access_last_seq(s->impl, seq, err);
	return sl_fail(err, SL_EINVAL, "no log %d", log);
}

int store_log_scan(store *s, int log, uint64_t from, uint64_t to, store_event_cb cb, void *ctx, sl_err *err)
{
	if (log == STORE_LOG_CASES)
		return s->ops->event_scan(s->impl, from, to, cb, ctx, err);
	if (log == STORE_LOG_ACCESS)
		return s->ops->access_scan(s->impl, from, to, cb, ctx, err);
	return sl_fail(err, SL_EINVAL, "no log %d", log);
}

int store_access_of_child(store *s, const char *child, store_event_cb cb, void *ctx, sl_err *err)
{
	return s->ops->access_of_child(s->impl, child, cb, ctx, err);
}

int store_seal(store *s, const char *child, uint64_t seq, const char *day, const char *by, sl_err *err)
{
	return s->ops->seal(s->impl, child, seq, day, by, err);
}

int store_unseal(store *s, const char *child, uint64_t seq, const char *day, const char *by, sl_err *err)
{
	return s->ops->unseal(s->impl, child, seq, day, by, err);
}

int store_grant(store *s, const char *child, const char *login, uint64_t seq, const char *day, const char *by,
                sl_err *err)
{
	return s->ops->grant(s->impl, child, login, seq, day, by, err);
}

int store_revoke(store *s, const char *child, const char *login, uint64_t seq, const char *day, const char *by,
                 sl_err *err)
{
	return s->ops->revoke(s->impl, child, login, seq, day, by, err);
}

int store_access_facts_get(store *s, const char *child, const char *login, store_access_facts *out, sl_err *err)
{
	return s->ops->access_facts(s->impl, child, login, out, err);
}

/* --- reads for the API and pages --- */
int store_person_get(store *s, const char *id, store_person_cb cb, void *ctx, sl_err *err)
{
	return s->ops->person_get(s->impl, id, cb, ctx, err);
}

int store_person_by_nhs(store *s, const char *nhs_number, store_person_cb cb, void *ctx, sl_err *err)
{
	return s->ops->person_by_nhs(s->impl, nhs_number, cb, ctx, err);
}

int store_child_episodes(store *s, const char *child, store_episode_cb cb, void *ctx, sl_err *err)
{
	return s->ops->child_episodes(s->impl, child, cb, ctx, err);
}

int store_child_cp_categories(store *s, const char *child, store_cp_category_cb cb, void *ctx, sl_err *err)
{
	return s->ops->child_cp_categories(s->impl, child, cb, ctx, err);
}

int store_child_concerns(store *s, const char *child, bool open_only, store_concern_cb cb, void *ctx,
                         sl_err *err)
{
	return s->ops->child_concerns(s->impl, child, open_only, cb, ctx, err);
}

int store_child_allocation(store *s, const char *child, store_allocation_cb cb, void *ctx, sl_err *err)
{
	return s->ops->child_allocation(s->impl, child, cb, ctx, err);
}

int store_child_allocated_to(store *s, const char *child, const char *worker, const char *team, bool *out,
                             sl_err *err)
{
	return s->ops->child_allocated_to(s->impl, child, worker, team, out, err);
}

int store_worker_allocations(store *s, const char *worker, store_allocation_cb cb, void *ctx, sl_err *err)
{
	return s->ops->worker_allocations(s->impl, worker, cb, ctx, err);
}

int store_child_counts(store *s, const char *child, store_child_tally *out, sl_err *err)
{
	return s->ops->child_counts(s->impl, child, out, err);
}

int store_child_counts_keys(store *s, const char *child, store_child_tally *out, store_chrono_key_cb cb, void *ctx,
                            sl_err *err)
{
	assert(child && out && cb);
	return s->ops->child_counts_keys(s->impl, child, out, cb, ctx, err);
}

int store_person_links(store *s, const char *person, uint64_t max_seq, store_link_cb cb, void *ctx, sl_err *err)
{
	return s->ops->person_links(s->impl, person, max_seq, cb, ctx, err);
}

int store_person_risk_flags(store *s, const char *person, uint64_t max_seq, store_risk_flag_cb cb, void *ctx,
                            sl_err *err)
{
	return s->ops->person_risk_flags(s->impl, person, max_seq, cb, ctx, err);
}

int store_alerts(store *s, const store_alert_query *q, store_alert_cb cb, void *ctx, sl_err *err)
{
	return s->ops->alerts(s->impl, q, cb, ctx, err);
}

int store_chronology(store *s, const store_chrono_query *q, store_chrono_cb cb, void *ctx, sl_err *err)
{
	if (!q->person)
		return sl_fail(err, SL_EINVAL, "a chronology needs a person");
	return s->ops->chronology(s->impl, q, cb, ctx, err);
}

int store_chronology_keys(store *s, const store_chrono_query *q, store_chrono_key_cb cb, void *ctx, sl_err *err)
{
	if (!q->person)
		return sl_fail(err, SL_EINVAL, "a chronology needs a person");
	return s->ops->chronology_keys(s->impl, q, cb, ctx, err);
}

int store_caseloads(store *s, const char *team, const char *worker, const char *overdue_codes,
                    store_caseload_cb cb, void *ctx, sl_err *err)
{
	return s->ops->caseloads(s->impl, team, worker, overdue_codes, cb, ctx, err);
}

int store_amendments_pending(store *s, store_amendment_cb cb, void *ctx, sl_err *err)
{
	return s->ops->amendments_pending(s->impl, cb, ctx, err);
}

int store_amendment_requests_of(store *s, uint64_t target_seq, store_amendment_cb cb, void *ctx, sl_err *err)
{
	return s->ops->amendment_requests_of(s->impl, target_seq, cb, ctx, err);
}

int store_events_of_kind(store *s, const char *kind, const char *team, unsigned limit, store_event_cb cb,
                         void *ctx, sl_err *err)
{
	return s->ops->events_of_kind(s->impl, kind, team, limit, cb, ctx, err);
}

int store_episodes_of_types(store *s, const char *types, store_episode_cb cb, void *ctx, sl_err *err)
{
	return s->ops->episodes_of_types(s->impl, types, cb, ctx, err);
}

int store_alerts_by_month(store *s, const char *from_day, store_month_count_cb cb, void *ctx, sl_err *err)
{
	return s->ops->alerts_by_month(s->impl, from_day, cb, ctx, err);
}

int store_escalations(store *s, const char *to, bool open_only, store_escalation_cb cb, void *ctx, sl_err *err)
{
	return s->ops->escalations(s->impl, to, open_only, cb, ctx, err);
}


int store_seen_visits_of(store *s, const char *types, store_child_visit_cb cb, void *ctx, sl_err *err)
{
	return s->ops->seen_visits_of(s->impl, types, cb, ctx, err);
}

int store_allocations_all(store *s, store_allocation_span_cb cb, void *ctx, sl_err *err)
{
	return s->ops->allocations_all(s->impl, cb, ctx, err);
}

int store_unallocated(store *s, store_unallocated_cb cb, void *ctx, sl_err *err)
{
	return s->ops->unallocated(s->impl, cb, ctx, err);
}

int store_grants_of(store *s, const char *login, store_grant_cb cb, void *ctx, sl_err *err)
{
	return s->ops->grants_of(s->impl, login, cb, ctx, err);
}
