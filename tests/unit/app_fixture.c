/*
 * app_fixture.c - see app_fixture.h.
 */
#include "util/common.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "app_fixture.h"

app_fixture *app_fixture_new(const char *today, const char *history, const char *path)
{
	app_fixture *f = calloc(1, sizeof(*f));
	app_options o = {0};
	app_import_stats stats;
	sl_err err = {0};
	FILE *in = NULL;

	assert_non_null(f);
	snprintf(f->dir, sizeof(f->dir), "/tmp/sl-unit-XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	snprintf(f->db, sizeof(f->db), "%s/t.db", f->dir);
	o.db = f->db;
	o.create = true;
	o.today = today;
	assert_int_equal(app_init(&o, "test.example/safeledger", &err), 0);
	o.create = false;
	assert_int_equal(app_open(&o, &f->a, &err), 0);
	if (history)
		in = fmemopen((void *)history, strlen(history), "r");
	else if (path)
		in = fopen(path, "r");
	if (history || path) {
		assert_non_null(in);
		if (app_import(f->a, in, "cli:tester", 1 << 20, NULL, NULL, &stats, &err) != 0)
			fail_msg("import: %s", err.msg);
		fclose(in);
	}
	return f;
}

void app_fixture_free(app_fixture *f)
{
	char cmd[200];

	if (!f)
		return;
	app_close(f->a);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", f->dir);
	assert_int_equal(system(cmd), 0);
	free(f);
}
