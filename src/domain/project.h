/*
 * project.h - the projections every event updates, in the same transaction
 * as its append (DESIGN 3).
 *
 * What validation needs (event refs, the people registry with roles, the
 * index of events by person, the amendment workflow of DESIGN 4) and the
 * read model of the child's record (store.h, "the read model"): people with
 * their details, links, episodes of the case (contact, referral,
 * assessment, strategy, s47, conference, meeting, cp_plan, cin_plan, lac,
 * case), the CP plan's categories, visits, notes, concerns, injuries,
 * missing episodes, risk flags, allocations, escalations and alerts; and
 * who may read a record: sealing and grants (DESIGN 8, docs/security.md).
 * project.c's header gives the case and plan semantics (DESIGN 6.1.3,
 * 6.1.4) and which amended fields the rows follow.
 *
 * Projections hold nothing the ledger does not: store_projections_clear()
 * followed by project_apply() over every row in seq order rebuilds them
 * exactly (`safeledger rebuild`), which the e2e test proves by comparing
 * canonical dumps.  So a projector may depend only on the event, the
 * recorder and the projections written before it, never on the clock.
 */
#ifndef SL_PROJECT_H
#define SL_PROJECT_H

#include <jansson.h>

#include "util/common.h"
#include "store/store.h"

/* Derive the rows for event `seq` (already validated, already appended).
 * recorder is the event's recorder.  Kinds the vocabulary does not know yet
 * are projected too when a projector exists (alert.raised, appended by the
 * rules engine).  Refuses (SL_ECONFLICT, with the field
 * named) what the workflow forbids: deciding an amendment that is not
 * pending, or approving one's own request.  The caller rolls back. */
int project_apply(store *s, uint64_t seq, const json_t *event, const char *recorder, sl_err *err);

/* Resolve an event reference (a ref string or a seq number) to a seq. */
int project_resolve_ref(store *s, const json_t *ref, uint64_t *seq, sl_err *err);

/* Who acted: by.user when the event names a user, else the recorder. */
const char *project_actor(const json_t *event, const char *recorder);
/* May `decider` approve (or reject) amendment request `request_seq`, now
 * `status` and made by `requester`?  Only a pending request, and never by
 * its requester: SL_ECONFLICT naming why.  (Shared by the projection and
 * by replay's rules-only instance, which keeps requests in memory.) */
int project_check_decision(uint64_t request_seq, const char *status, const char *requester, const char *decider,
                           bool approve, sl_err *err);

#endif
