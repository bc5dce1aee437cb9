/*
 * app_internal.h - the app struct, shared by the files of src/app/ only.
 */
#ifndef SL_APP_INTERNAL_H
#define SL_APP_INTERNAL_H

#include "app/app.h"
#include "ledger/note.h"
#include "rules/rules.h"

/* Who records the alerts the rules raise (their `by.user` and recorder). */
#define APP_RULES_USER "safeledger"

typedef struct app_lean app_lean;

struct app {
	store *store;
	ledger *ledger;
	ledger *access; /* the access log (auth.c) */
	char *access_origin; /* "<origin>/access": its checkpoints' origin line */
	int64_t auth_now; /* auth.c's clock, fixed by auth_clock_set (tests); 0: the real one */
	char *origin;
	char *vkey;
	char *key_path;
	note_signer *signer; /* loaded on first signature */
	bool in_batch;
	buf canon; /* scratch for canonical JSON */

	/* the rules engine (rules.c): built on the first write */
	rules_config *rules_cfg;
	char *rules_config_path;
	rules *rules;
	int32_t today; /* INT32_MIN: the clock */
	char *snapshot_path;  /* "<db>.rules" (rules.c); NULL: keep none */
	uint64_t snapshot_seq; /* the ledger prefix the snapshot on disk reflects */
	app_lean *lean; /* replay's rules-only instance (write.c), or NULL */
	app_alert_observer on_alert;
	void *on_alert_ctx;
};

int app_load_signer(app *a, sl_err *err);

/* write.c: validate and append one event with its projections, without the
 * rules (the rules' own alerts; system allows `alert.raised`). */
int app_append_event(app *a, const json_t *event, const char *recorder, bool system, ledger_entry *out,
                     sl_err *err);
/* write.c: the rules-only instance's memory, and a ref (string or seq)
 * resolved against it or the store. */
app_lean *app_lean_new(void);
void app_lean_free(app_lean *l);
int app_resolve_ref(app *a, const json_t *ref, uint64_t *seq, sl_err *err);
/* rules.c */
int app_rules_ready(app *a, sl_err *err);
void app_rules_drop(app *a);
/* Write the engine's snapshot beside the database when the ledger has
 * grown since the last one (app_close calls it); failures only cost the
 * next open a full feed, so they are not errors. */
void app_rules_save(app *a);
int app_rules_tick(app *a, int32_t day, sl_err *err);

#endif
