/*
 * app_fixture.h - an instance for unit tests of the app layer and above: a
 * new database in its own temporary directory, opened, with a history
 * imported through the normal write path; removed again at the end.  Any
 * failure fails the running cmocka test.
 */
#ifndef SL_TEST_APP_FIXTURE_H
#define SL_TEST_APP_FIXTURE_H

#include "app/app.h"

typedef struct app_fixture {
	char dir[64];
	char db[128];
	app *a;
} app_fixture;

/* today fixes the rules' day (YYYY-MM-DD); the history is JSONL text, or
 * NULL to read the file at path (or neither: an empty instance). */
app_fixture *app_fixture_new(const char *today, const char *history, const char *path);
void app_fixture_free(app_fixture *f);

#endif
