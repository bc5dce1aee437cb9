/*
 * app_internal.h - the app struct, shared by the files of src/app/ only.
 */
#ifndef SL_APP_INTERNAL_H
#define SL_APP_INTERNAL_H

#include "app/app.h"
#include "ledger/note.h"

struct app {
	store *store;
	ledger *ledger;
	char *origin;
	char *vkey;
	char *key_path;
	note_signer *signer; /* loaded on first signature */
	bool in_batch;
	buf canon; /* scratch for canonical JSON */
};

int app_load_signer(app *a, sl_err *err);

#endif
