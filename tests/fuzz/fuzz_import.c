/*
 * fuzz_import.c - libFuzzer target for the import path: bytes are read as
 * a JSONL file into a real instance (SQLite in a temporary directory).
 * Whatever the input, the import must either succeed or fail cleanly, and
 * a failed import must leave the ledger exactly as it was.
 */
#include "util/common.h"
#include "app/app.h"

#include <stdlib.h>
#include <unistd.h>

static app *instance;
static char dir[] = "/tmp/sl-fuzz-XXXXXX";

static void cleanup(void)
{
	char cmd[64];
	app_close(instance);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "fuzz: could not remove %s\n", dir);
}

static void setup(void)
{
	app_options o = {0};
	buf db = BUF_INIT;
	sl_err err = {0};

	if (!mkdtemp(dir))
		abort();
	buf_printf(&db, "%s/fuzz.db", dir);
	o.db = db.data;
	if (app_init(&o, "fuzz.example/safeledger", &err) || app_open(&o, &instance, &err)) {
		fprintf(stderr, "fuzz setup: %s\n", err.msg);
		abort();
	}
	buf_release(&db);
	atexit(cleanup);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	app_import_stats stats;
	sl_err err = {0};
	uint64_t before;
	FILE *in;
	int rc;

	if (!instance)
		setup();
	before = ledger_size(app_ledger(instance));
	in = fmemopen((void *)data, size, "r");
	if (!in)
		return 0;
	rc = app_import(instance, in, "cli:fuzz", 4096, NULL, NULL, &stats, &err);
	fclose(in);
	if (rc && ledger_size(app_ledger(instance)) != before)
		abort(); /* a failed import changed the ledger */
	if (rc && !err.msg[0])
		abort(); /* every failure names its reason */
	return 0;
}
