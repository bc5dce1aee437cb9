/*
 * project.h - the projections every event updates, in the same transaction
 * as its append (DESIGN 3).
 *
 * This first set is what validation and the child's chronology need: event
 * refs, the people registry with roles, the index of events by person, and
 * the amendment workflow (DESIGN 4, "Corrections").  Projections hold
 * nothing the ledger does not: store_projections_clear() followed by
 * project_apply() over every row rebuilds them exactly.
 */
#ifndef SL_PROJECT_H
#define SL_PROJECT_H

#include <jansson.h>

#include "util/common.h"
#include "store/store.h"

/* Derive the rows for event `seq` (already validated, already appended).
 * recorder is the event's recorder.  Refuses (SL_ECONFLICT, with the field
 * named) what the workflow forbids: deciding an amendment that is not
 * pending, or approving one's own request.  The caller rolls back. */
int project_apply(store *s, uint64_t seq, const json_t *event, const char *recorder, sl_err *err);

/* Resolve an event reference (a ref string or a seq number) to a seq. */
int project_resolve_ref(store *s, const json_t *ref, uint64_t *seq, sl_err *err);

/* Who acted: by.user when the event names a user, else the recorder. */
const char *project_actor(const json_t *event, const char *recorder);

#endif
