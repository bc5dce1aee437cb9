/*
 * test_review_pack.c - the review pack (src/report/review_pack.h): a pack
 * built from a real instance verifies offline; changing any one event's
 * canonical bytes, any salt or any proof hash in it makes the check name
 * that event; bad requests append nothing; what is not a pack is refused.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "util/common.h"
#include "app_fixture.h"
#include "app/auth.h"
#include "report/review_pack.h"

#include <zip.h>

#ifndef SL_TEST_DATA_DIR
#define SL_TEST_DATA_DIR "tests/data"
#endif

static int setup(void **state)
{
	app_fixture *f = app_fixture_new("2024-06-03", NULL, SL_TEST_DATA_DIR "/api_fixture.jsonl");
	auth_user reader = {.login = "rev", .role = ROLE_REVIEWER};
	sl_err err = {0};
	/* two reads of the record, so the access log's part is proven too */
	assert_int_equal(auth_access_record(f->a, &reader, "C1", "GET /review/{id}", NULL, &err), 0);
	assert_int_equal(auth_access_record(f->a, &reader, "C1", "GET /review/{id}/pack.zip", NULL, &err), 0);
	assert_int_equal(app_checkpoint_log(f->a, STORE_LOG_CASES, true, NULL, &err), 0);
	assert_int_equal(app_checkpoint_log(f->a, STORE_LOG_ACCESS, true, NULL, &err), 0);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	app_fixture_free(*state);
	return 0;
}

static void build(app_fixture *f, buf *zip, review_pack_stats *st)
{
	review_pack_opts o = {"C1", NULL, NULL, "test"};
	sl_err err = {0};
	assert_int_equal(review_pack_build(f->a, &o, zip, st, &err), 0);
}

/* One member of a zip, read or replaced (libzip on a copy in memory). */
static void member_get(const buf *zip, const char *name, buf *out)
{
	zip_source_t *src = zip_source_buffer_create(zip->data, zip->len, 0, NULL);
	zip_t *z = zip_open_from_source(src, ZIP_RDONLY, NULL);
	zip_file_t *zf;
	char chunk[4096];
	zip_int64_t got;

	assert_non_null(z);
	assert_non_null(zf = zip_fopen(z, name, 0));
	while ((got = zip_fread(zf, chunk, sizeof(chunk))) > 0)
		buf_append(out, chunk, (size_t)got);
	zip_fclose(zf);
	zip_discard(z);
}

static void member_put(const buf *zip, const char *name, const buf *data, buf *out)
{
	zip_source_t *src = zip_source_buffer_create(NULL, 0, 0, NULL), *m;
	zip_source_t *in = zip_source_buffer_create(zip->data, zip->len, 0, NULL);
	zip_t *zi = zip_open_from_source(in, ZIP_RDONLY, NULL), *zo;
	zip_int64_t i, n, size;

	assert_non_null(zi);
	zip_source_keep(src);
	assert_non_null(zo = zip_open_from_source(src, ZIP_TRUNCATE, NULL));
	n = zip_get_num_entries(zi, 0);
	for (i = 0; i < n; i++) {
		const char *entry = zip_get_name(zi, (zip_uint64_t)i, 0);
		if (strcmp(entry, name) == 0)
			m = zip_source_buffer(zo, data->data, data->len, 0);
		else
			m = zip_source_zip(zo, zi, (zip_uint64_t)i, 0, 0, -1);
		assert_true(zip_file_add(zo, entry, m, 0) >= 0);
	}
	assert_int_equal(zip_close(zo), 0);
	zip_discard(zi);
	assert_int_equal(zip_source_open(src), 0);
	zip_source_seek(src, 0, SEEK_END);
	size = zip_source_tell(src);
	zip_source_seek(src, 0, SEEK_SET);
	buf_grow(out, (size_t)size);
	assert_int_equal(zip_source_read(src, out->data, (zip_uint64_t)size), size);
	out->len = (size_t)size;
	zip_source_close(src);
	zip_source_free(src);
}

static void test_pack_verifies(void **state)
{
	review_pack_stats st = {0};
	review_pack_result res;
	buf zip = BUF_INIT;
	sl_err err = {0};

	build(*state, &zip, &st);
	assert_true(st.events > 10);
	assert_int_equal(review_pack_verify(zip.data, zip.len, &res, &err), 0);
	assert_int_equal(res.events, st.events);
	assert_int_equal(res.cases_size, st.cases_size);
	assert_int_equal(res.access, st.access);
	assert_int_equal(res.access, 2);
	assert_string_equal(res.child, "C1");
	buf_release(&zip);
}

/* Change one byte of each line of a member in turn, just after `needle`
 * (inside a string value); the pack must then fail naming that line's seq. */
static void tamper_each_line(buf *zip, const char *member, const char *needle, const char *what)
{
	buf lines = BUF_INIT;
	size_t target, count = 0, i;
	char *p;

	member_get(zip, member, &lines);
	for (i = 0; i < lines.len; i++)
		count += lines.data[i] == '\n';
	assert_true(count > 0);
	for (target = 0; target < count; target++) {
		buf edited = BUF_INIT, bad = BUF_INIT, want = BUF_INIT;
		review_pack_result res;
		sl_err err = {0};
		char *line;
		unsigned long long seq;

		buf_append(&edited, lines.data, lines.len);
		for (line = edited.data, i = 0; i < target; i++)
			line = strchr(line, '\n') + 1;
		assert_int_equal(sscanf(line, "{\"seq\":%llu", &seq), 1);
		assert_non_null(p = strstr(line, needle));
		p += strlen(needle) + 1;
		*p = *p == '0' ? '1' : *p == 'a' ? 'b' : *p == '1' ? '0' : 'a';
		member_put(zip, member, &edited, &bad);
		assert_int_not_equal(review_pack_verify(bad.data, bad.len, &res, &err), 0);
		buf_printf(&want, "%s seq %llu:", what, seq);
		if (!strstr(err.msg, want.data))
			fail_msg("editing line %zu of %s after %s: \"%s\" does not name %s", target + 1, member, needle,
			         err.msg, want.data);
		buf_release(&edited);
		buf_release(&bad);
		buf_release(&want);
	}
	buf_release(&lines);
}

static void test_every_edit_names_the_event(void **state)
{
	buf zip = BUF_INIT;

	build(*state, &zip, NULL);
	tamper_each_line(&zip, "events.jsonl", "\\\"kind\\\":\\\"", "event"); /* in the canonical bytes */
	tamper_each_line(&zip, "events.jsonl", "\"salt\":\"", "event");
	tamper_each_line(&zip, "proofs.jsonl", "\"hashes\":[\"", "event");
	tamper_each_line(&zip, "access.jsonl", "\\\"user\\\":\\\"", "access entry");
	buf_release(&zip);
}

static void test_bad_requests_append_nothing(void **state)
{
	app_fixture *f = *state;
	review_pack_opts unknown = {"C99", NULL, NULL, NULL}, reversed = {"C1", "2024-05-01", "2024-01-01", NULL},
	                 outside = {"C1", "2031-01-01", NULL, NULL}, bad_day = {"C1", NULL, "2024-02-30", NULL},
	                 adult = {"M1", NULL, NULL, NULL};
	buf zip = BUF_INIT;
	sl_err err = {0};

	assert_int_equal(review_pack_build(f->a, &unknown, &zip, NULL, &err), SL_ENOTFOUND);
	assert_int_equal(review_pack_build(f->a, &reversed, &zip, NULL, &err), SL_EINVAL);
	assert_non_null(strstr(err.msg, "`--from`"));
	assert_int_equal(review_pack_build(f->a, &outside, &zip, NULL, &err), SL_EINVAL);
	assert_non_null(strstr(err.msg, "`--from`"));
	assert_int_equal(review_pack_build(f->a, &bad_day, &zip, NULL, &err), SL_EINVAL);
	assert_non_null(strstr(err.msg, "`--to`"));
	assert_int_equal(review_pack_build(f->a, &adult, &zip, NULL, &err), SL_EINVAL);
	assert_int_equal(zip.len, 0);
	buf_release(&zip);
}

static void test_not_a_pack(void **state)
{
	review_pack_result res;
	sl_err err = {0};
	buf zip = BUF_INIT, extra = BUF_INIT, bad = BUF_INIT;

	assert_int_equal(review_pack_verify("PK\3\4junk", 8, &res, &err), SL_EINVAL);
	assert_non_null(strstr(err.msg, "not a zip archive"));
	/* a member that is not one of the pack's names (here, in place of the key) */
	build(*state, &zip, NULL);
	buf_puts(&extra, "not a key\n");
	member_put(&zip, "key.txt", &extra, &bad);
	assert_int_not_equal(review_pack_verify(bad.data, bad.len, &res, &err), 0);
	assert_non_null(strstr(err.msg, "key.txt"));
	buf_release(&zip);
	buf_release(&extra);
	buf_release(&bad);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_pack_verifies, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_every_edit_names_the_event, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_bad_requests_append_nothing, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_not_a_pack, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
