/*
 * test_auth.c - users, passwords, sessions, partner tokens, access
 * decisions and the access log (app/auth.c) on a real instance: a
 * temporary database made by app_init, events written through the one
 * write path, and the auth clock fixed (auth_clock_set) where a test steps
 * past a timeout.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <unistd.h>

#include "util/common.h"
#include "app/app.h"
#include "app/auth.h"
#include "ledger/note.h"
#include "ledger/verify.h"
#include "util/sha256.h"

#define PASSWORD "correct horse battery"
#define T0 1700000000 /* a Tuesday in November 2023 */

typedef struct fixture {
	char dir[64];
	char db[128];
	app *a;
} fixture;

static int setup(void **state)
{
	fixture *f = calloc(1, sizeof(*f));
	app_options o = {0};
	sl_err err = {0};

	snprintf(f->dir, sizeof(f->dir), "/tmp/sl-auth-XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	snprintf(f->db, sizeof(f->db), "%s/a.db", f->dir);
	o.db = f->db;
	o.create = true;
	o.today = "2023-11-14";
	assert_int_equal(app_init(&o, "test.example/safeledger", &err), 0);
	o.create = false;
	if (app_open(&o, &f->a, &err))
		fail_msg("open: %s", err.msg);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fixture *f = *state;
	char cmd[200];

	app_close(f->a);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", f->dir);
	assert_int_equal(system(cmd), 0);
	free(f);
	return 0;
}

static void add_user(fixture *f, const char *login, auth_role role, const char *team)
{
	sl_err err = {0};
	if (auth_user_add(f->a, login, role, team, NULL, PASSWORD, &err))
		fail_msg("add %s: %s", login, err.msg);
}

/* One event through the write path (history, not live). */
static void append(fixture *f, const char *json)
{
	json_error_t jerr;
	json_t *ev = json_loads(json, 0, &jerr);
	app_write_opts o = {.recorder = "tester"};
	ledger_entry e;
	sl_err err = {0};

	if (!ev)
		fail_msg("bad test JSON: %s", jerr.text);
	if (app_append(f->a, ev, &o, &e, &err))
		fail_msg("append %s: %s", json, err.msg);
	json_decref(ev);
}

static int count_user(void *ctx, const auth_user *u, sl_err *err)
{
	(void)u;
	(void)err;
	(*(int *)ctx)++;
	return 0;
}

static int users(fixture *f)
{
	sl_err err = {0};
	int n = 0;
	assert_int_equal(auth_user_list(f->a, count_user, &n, &err), 0);
	return n;
}

static int take_hash(void *ctx, const store_user *u, sl_err *err)
{
	(void)err;
	snprintf(ctx, 256, "%s", u->password);
	return 0;
}

/* ---- roles and users ------------------------------------------------------ */

static void test_role_names_round_trip(void **state)
{
	(void)state;
	for (int r = 0; r < ROLE_COUNT; r++)
		assert_int_equal(auth_role_parse(auth_role_name((auth_role)r)), r);
	assert_string_equal(auth_role_name(ROLE_TEAM_MANAGER), "team_manager");
	assert_int_equal(auth_role_parse("chef"), -1);
	assert_int_equal(auth_role_parse(NULL), -1);
	assert_null(auth_role_name(ROLE_COUNT));
}

static void test_user_is_stored_with_an_argon2id_hash_only(void **state)
{
	fixture *f = *state;
	char hash[256];
	auth_user u;
	sl_err err = {0};

	assert_int_equal(auth_user_add(f->a, "alice", ROLE_SOCIAL_WORKER, "north", "Alice Adams", PASSWORD, &err), 0);
	assert_int_equal(auth_user_get(f->a, "alice", &u, &err), 0);
	assert_string_equal(u.login, "alice");
	assert_int_equal(u.role, ROLE_SOCIAL_WORKER);
	assert_string_equal(u.team, "north");
	assert_string_equal(u.name, "Alice Adams");
	assert_false(u.disabled);
	assert_int_equal(store_user_get(app_store(f->a), "alice", take_hash, hash, &err), 0);
	assert_true(strncmp(hash, "$argon2id$", 10) == 0);
	assert_null(strstr(hash, PASSWORD));
	assert_int_equal(auth_user_get(f->a, "nobody", &u, &err), SL_ENOTFOUND);
}

static void test_user_add_refuses_bad_input_and_writes_nothing(void **state)
{
	fixture *f = *state;
	sl_err err = {0};
	char long_login[80];

	memset(long_login, 'a', 65);
	long_login[65] = '\0';
	add_user(f, "alice", ROLE_SOCIAL_WORKER, "north");
	assert_int_equal(auth_user_add(f->a, "al ice", ROLE_SOCIAL_WORKER, NULL, NULL, PASSWORD, &err), SL_EINVAL);
	assert_non_null(strstr(err.msg, "login"));
	assert_int_equal(auth_user_add(f->a, "agency:police:x", ROLE_ADMIN, NULL, NULL, PASSWORD, &err), SL_EINVAL);
	assert_int_equal(auth_user_add(f->a, long_login, ROLE_ADMIN, NULL, NULL, PASSWORD, &err), SL_EINVAL);
	assert_int_equal(auth_user_add(f->a, "", ROLE_ADMIN, NULL, NULL, PASSWORD, &err), SL_EINVAL);
	assert_int_equal(auth_user_add(f->a, "x'; DROP TABLE app_user;--", ROLE_ADMIN, NULL, NULL, PASSWORD, &err),
	                 SL_EINVAL);
	/* 11 characters; 11 two-byte characters are still 11 */
	assert_int_equal(auth_user_add(f->a, "bob", ROLE_ADMIN, NULL, NULL, "abcdefghijk", &err), SL_EINVAL);
	assert_string_equal(err.msg, "password: at least 12 characters (this one has 11)");
	assert_int_equal(auth_user_add(f->a, "bob", ROLE_ADMIN, NULL, NULL,
	                               "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3"
	                               "\xa9\xc3\xa9",
	                               &err),
	                 SL_EINVAL);
	assert_int_equal(auth_user_add(f->a, "bob", ROLE_ADMIN, NULL, NULL, "twelve chars\x01here", &err), SL_EINVAL);
	assert_int_equal(auth_user_add(f->a, "bob", ROLE_ADMIN, NULL, NULL, "invalid \xff utf-8 here", &err),
	                 SL_EINVAL);
	assert_int_equal(auth_user_add(f->a, "bob", ROLE_PARTNER, NULL, NULL, PASSWORD, &err), SL_EINVAL);
	assert_non_null(strstr(err.msg, "token add"));
	assert_int_equal(auth_user_add(f->a, "bob", ROLE_TEAM_MANAGER, NULL, NULL, PASSWORD, &err), SL_EINVAL);
	assert_int_equal(auth_user_add(f->a, "bob", ROLE_COUNT, NULL, NULL, PASSWORD, &err), SL_EINVAL);
	assert_int_equal(auth_user_add(f->a, "bob", ROLE_ADMIN, "bad\nteam", NULL, PASSWORD, &err), SL_EINVAL);
	assert_int_equal(auth_user_add(f->a, "alice", ROLE_ADMIN, NULL, NULL, PASSWORD, &err), SL_ECONFLICT);
	assert_int_equal(users(f), 1);
	/* twelve two-byte characters are enough */
	assert_int_equal(auth_user_add(f->a, "bob", ROLE_ADMIN, NULL, NULL,
	                               "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3"
	                               "\xa9\xc3\xa9\xc3\xa9",
	                               &err),
	                 0);
	assert_int_equal(users(f), 2);
}

/* ---- sign-in --------------------------------------------------------------- */

static void test_login_gives_a_session_and_wrong_input_the_same_answer(void **state)
{
	fixture *f = *state;
	char *token = NULL, *csrf = NULL, *csrf2 = NULL, *wrong_login;
	auth_user u, s;
	sl_err err = {0};

	add_user(f, "alice", ROLE_SOCIAL_WORKER, "north");
	assert_int_equal(auth_login(f->a, "alice", PASSWORD, "127.0.0.1", &token, &csrf, &u, &err), 0);
	assert_int_equal(strlen(token), AUTH_TOKEN_LEN);
	assert_int_equal(strlen(csrf), AUTH_TOKEN_LEN);
	assert_string_not_equal(token, csrf);
	assert_string_equal(u.login, "alice");
	assert_int_equal(auth_session(f->a, token, NULL, &s, &csrf2, &err), 0);
	assert_string_equal(s.login, "alice");
	assert_int_equal(s.role, ROLE_SOCIAL_WORKER);
	assert_string_equal(csrf2, csrf);
	assert_true(auth_csrf_equal(csrf, csrf2));
	assert_false(auth_csrf_equal(csrf, token));
	assert_false(auth_csrf_equal(csrf, ""));
	assert_false(auth_csrf_equal(csrf, NULL));
	free(token);
	free(csrf);
	free(csrf2);

	assert_int_equal(auth_login(f->a, "alice", "wrong password!", NULL, &token, &csrf, &u, &err), SL_EDENIED);
	assert_null(token);
	assert_null(csrf);
	assert_string_equal(u.login, "");
	assert_string_equal(err.msg, "wrong login or password");
	wrong_login = xstrdup(err.msg);
	assert_int_equal(auth_login(f->a, "mallory", PASSWORD, NULL, &token, &csrf, &u, &err), SL_EDENIED);
	assert_string_equal(err.msg, wrong_login);
	assert_int_equal(auth_login(f->a, "bad login", PASSWORD, NULL, &token, &csrf, &u, &err), SL_EDENIED);
	assert_string_equal(err.msg, wrong_login);
	assert_int_equal(auth_login(f->a, "alice", NULL, NULL, &token, &csrf, &u, &err), SL_EDENIED);
	free(wrong_login);
}

static void test_backoff_after_five_failures_for_known_and_unknown_logins(void **state)
{
	fixture *f = *state;
	char *token = NULL, *csrf = NULL;
	auth_user u;
	sl_err err = {0};
	int i;

	add_user(f, "alice", ROLE_SOCIAL_WORKER, "north");
	auth_clock_set(f->a, T0);
	for (i = 0; i < AUTH_BACKOFF_FAILURES; i++) {
		auth_clock_set(f->a, T0 + i * 60);
		assert_int_equal(auth_login(f->a, "alice", "not the password", "10.0.0.1", &token, &csrf, &u, &err),
		                 SL_EDENIED);
		assert_string_equal(err.msg, "wrong login or password");
		assert_int_equal(auth_login(f->a, "ghost", "not the password", "10.0.0.1", &token, &csrf, &u, &err),
		                 SL_EDENIED);
	}
	/* the right password is not even checked now */
	auth_clock_set(f->a, T0 + 5 * 60);
	assert_int_equal(auth_login(f->a, "alice", PASSWORD, NULL, &token, &csrf, &u, &err), SL_EDENIED);
	assert_string_equal(err.msg, "too many failed sign-ins for this login: try again in 10 minutes");
	assert_null(token);
	assert_int_equal(auth_login(f->a, "ghost", PASSWORD, NULL, &token, &csrf, &u, &err), SL_EDENIED);
	assert_string_equal(err.msg, "too many failed sign-ins for this login: try again in 10 minutes");
	/* another login is not affected */
	add_user(f, "bob", ROLE_SOCIAL_WORKER, "north");
	assert_int_equal(auth_login(f->a, "bob", PASSWORD, NULL, &token, &csrf, &u, &err), 0);
	free(token);
	free(csrf);
	/* the oldest failure leaves the 15-minute window: one more try */
	auth_clock_set(f->a, T0 + 15 * 60);
	assert_int_equal(auth_login(f->a, "alice", PASSWORD, NULL, &token, &csrf, &u, &err), 0);
	free(token);
	free(csrf);
	/* success forgets the failures */
	assert_int_equal(auth_login(f->a, "alice", "not the password", NULL, &token, &csrf, &u, &err), SL_EDENIED);
	assert_string_equal(err.msg, "wrong login or password");
}

/* ---- sessions -------------------------------------------------------------- */

static int take_last_seen(void *ctx, const store_session *x, const store_user *u, sl_err *err)
{
	(void)u;
	(void)err;
	*(int64_t *)ctx = x->last_seen;
	return 0;
}

static int64_t last_seen(fixture *f, const char *token)
{
	uint8_t h[32];
	int64_t t = -1;
	sl_err err = {0};

	sha256(token, strlen(token), h);
	assert_int_equal(store_session_get(app_store(f->a), h, take_last_seen, &t, &err), 0);
	return t;
}

static char *sign_in(fixture *f, const char *login)
{
	char *token = NULL, *csrf = NULL;
	auth_user u;
	sl_err err = {0};

	if (auth_login(f->a, login, PASSWORD, NULL, &token, &csrf, &u, &err))
		fail_msg("login %s: %s", login, err.msg);
	free(csrf);
	return token;
}

static void test_session_expires_when_idle(void **state)
{
	fixture *f = *state;
	auth_user u;
	sl_err err = {0};
	char *token;

	add_user(f, "alice", ROLE_SOCIAL_WORKER, "north");
	auth_clock_set(f->a, T0);
	token = sign_in(f, "alice");
	auth_clock_set(f->a, T0 + 29 * 60);
	assert_int_equal(auth_session(f->a, token, NULL, &u, NULL, &err), 0);
	/* used at 29 minutes: idle counts from there */
	auth_clock_set(f->a, T0 + 58 * 60);
	assert_int_equal(auth_session(f->a, token, NULL, &u, NULL, &err), 0);
	auth_clock_set(f->a, T0 + 88 * 60);
	assert_int_equal(auth_session(f->a, token, NULL, &u, NULL, &err), SL_EDENIED);
	assert_non_null(strstr(err.msg, "expired"));
	assert_string_equal(u.login, "");
	/* and it is gone, not just refused */
	auth_clock_set(f->a, T0 + 58 * 60);
	assert_int_equal(auth_session(f->a, token, NULL, &u, NULL, &err), SL_EDENIED);
	assert_non_null(strstr(err.msg, "no such session"));
	free(token);

	/* a shorter idle limit from the options */
	auth_clock_set(f->a, T0);
	token = sign_in(f, "alice");
	auth_clock_set(f->a, T0 + 120);
	assert_int_equal(auth_session(f->a, token, &(auth_session_opts){.idle_seconds = 60}, &u, NULL, &err),
	                 SL_EDENIED);
	free(token);
}

static void test_session_ends_at_its_absolute_limit_however_used(void **state)
{
	fixture *f = *state;
	auth_user u;
	sl_err err = {0};
	char *token;
	int64_t t;

	add_user(f, "alice", ROLE_SOCIAL_WORKER, "north");
	auth_clock_set(f->a, T0);
	token = sign_in(f, "alice");
	for (t = T0; t < T0 + AUTH_ABSOLUTE_SECONDS; t += 20 * 60) {
		auth_clock_set(f->a, t);
		assert_int_equal(auth_session(f->a, token, NULL, &u, NULL, &err), 0);
	}
	auth_clock_set(f->a, T0 + AUTH_ABSOLUTE_SECONDS);
	assert_int_equal(auth_session(f->a, token, NULL, &u, NULL, &err), SL_EDENIED);
	assert_non_null(strstr(err.msg, "time limit"));
	free(token);
}

static void test_session_is_touched_at_most_once_a_minute(void **state)
{
	fixture *f = *state;
	auth_user u;
	sl_err err = {0};
	char *token;

	add_user(f, "alice", ROLE_SOCIAL_WORKER, "north");
	auth_clock_set(f->a, T0);
	token = sign_in(f, "alice");
	assert_int_equal(last_seen(f, token), T0);
	auth_clock_set(f->a, T0 + 59);
	assert_int_equal(auth_session(f->a, token, NULL, &u, NULL, &err), 0);
	assert_int_equal(last_seen(f, token), T0);
	auth_clock_set(f->a, T0 + 60);
	assert_int_equal(auth_session(f->a, token, NULL, &u, NULL, &err), 0);
	assert_int_equal(last_seen(f, token), T0 + 60);
	free(token);
}

static void test_logout_and_bad_tokens(void **state)
{
	fixture *f = *state;
	auth_user u;
	sl_err err = {0};
	char *token, forged[AUTH_TOKEN_LEN + 1];

	add_user(f, "alice", ROLE_SOCIAL_WORKER, "north");
	token = sign_in(f, "alice");
	memcpy(forged, token, sizeof(forged));
	forged[0] = forged[0] == 'A' ? 'B' : 'A';
	assert_int_equal(auth_session(f->a, forged, NULL, &u, NULL, &err), SL_EDENIED);
	assert_int_equal(auth_session(f->a, "", NULL, &u, NULL, &err), SL_EDENIED);
	assert_int_equal(auth_session(f->a, NULL, NULL, &u, NULL, &err), SL_EDENIED);
	assert_int_equal(auth_session(f->a, "' OR 1=1 --", NULL, &u, NULL, &err), SL_EDENIED);
	assert_int_equal(auth_logout(f->a, token, &err), 0);
	assert_int_equal(auth_session(f->a, token, NULL, &u, NULL, &err), SL_EDENIED);
	assert_int_equal(auth_logout(f->a, token, &err), 0); /* twice is fine */
	assert_int_equal(auth_logout(f->a, "nonsense", &err), 0);
	free(token);
}

static void test_disabling_ends_sessions_and_sign_in(void **state)
{
	fixture *f = *state;
	char *token, *t2 = NULL, *csrf = NULL;
	auth_user u;
	sl_err err = {0};

	add_user(f, "alice", ROLE_SOCIAL_WORKER, "north");
	token = sign_in(f, "alice");
	assert_int_equal(auth_user_disable(f->a, "alice", &err), 0);
	assert_int_equal(auth_session(f->a, token, NULL, &u, NULL, &err), SL_EDENIED);
	assert_int_equal(auth_login(f->a, "alice", PASSWORD, NULL, &t2, &csrf, &u, &err), SL_EDENIED);
	assert_string_equal(err.msg, "this account is disabled");
	assert_null(t2);
	assert_int_equal(auth_user_get(f->a, "alice", &u, &err), 0);
	assert_true(u.disabled);
	assert_int_equal(auth_user_disable(f->a, "nobody", &err), SL_ENOTFOUND);
	free(token);
}

static void test_passwd_replaces_the_password(void **state)
{
	fixture *f = *state;
	char *token = NULL, *csrf = NULL;
	auth_user u;
	sl_err err = {0};

	add_user(f, "alice", ROLE_SOCIAL_WORKER, "north");
	assert_int_equal(auth_user_passwd(f->a, "alice", "short", &err), SL_EINVAL);
	assert_int_equal(auth_user_passwd(f->a, "nobody", "a new long password", &err), SL_ENOTFOUND);
	assert_int_equal(auth_user_passwd(f->a, "alice", "a new long password", &err), 0);
	assert_int_equal(auth_login(f->a, "alice", PASSWORD, NULL, &token, &csrf, &u, &err), SL_EDENIED);
	assert_int_equal(auth_login(f->a, "alice", "a new long password", NULL, &token, &csrf, &u, &err), 0);
	free(token);
	free(csrf);
}

/* ---- partner tokens -------------------------------------------------------- */

static void test_partner_tokens(void **state)
{
	fixture *f = *state;
	char *token = NULL, *other = NULL;
	auth_user u;
	sl_err err = {0};

	assert_int_equal(auth_token_add(f->a, "police", "cad", &token, &err), 0);
	assert_int_equal(strlen(token), AUTH_TOKEN_LEN);
	assert_int_equal(auth_bearer(f->a, token, &u, &err), 0);
	assert_string_equal(u.login, "agency:police:cad");
	assert_int_equal(u.role, ROLE_PARTNER);
	assert_string_equal(u.agency, "police");
	/* a session token is not a bearer token, nor the other way round */
	assert_int_equal(auth_session(f->a, token, NULL, &u, NULL, &err), SL_EDENIED);
	assert_int_equal(auth_bearer(f->a, "short", &u, &err), SL_EDENIED);
	assert_int_equal(auth_token_add(f->a, "police", "cad", &other, &err), SL_ECONFLICT);
	assert_null(other);
	assert_int_equal(auth_token_add(f->a, "social_care", "x", &other, &err), SL_EINVAL);
	assert_int_equal(auth_token_add(f->a, "mi5", "x", &other, &err), SL_EINVAL);
	assert_non_null(strstr(err.msg, "police"));
	assert_int_equal(auth_token_add(f->a, "health", "bad name", &other, &err), SL_EINVAL);
	assert_int_equal(auth_token_revoke(f->a, "police", "cad", &err), 0);
	assert_int_equal(auth_bearer(f->a, token, &u, &err), SL_EDENIED);
	assert_string_equal(u.login, "");
	assert_int_equal(auth_token_revoke(f->a, "police", "cad", &err), SL_ENOTFOUND);
	free(token);
}

/* ---- access decisions ------------------------------------------------------ */

static const char *const people[] = {
    "{\"kind\":\"person.registered\",\"occurred_at\":\"2023-01-02\",\"by\":{\"user\":\"sw\"},"
    "\"data\":{\"id\":\"C1\",\"role\":\"child\",\"name\":\"One\",\"born\":\"2015-01-01\"}}",
    "{\"kind\":\"person.registered\",\"occurred_at\":\"2023-01-02\",\"by\":{\"user\":\"sw\"},"
    "\"data\":{\"id\":\"C2\",\"role\":\"child\",\"name\":\"Two\",\"born\":\"2015-01-01\"}}",
    "{\"kind\":\"person.registered\",\"occurred_at\":\"2023-01-02\",\"by\":{\"user\":\"sw\"},"
    "\"data\":{\"id\":\"C3\",\"role\":\"child\",\"name\":\"Three\",\"born\":\"2015-01-01\"}}",
    "{\"kind\":\"person.registered\",\"occurred_at\":\"2023-01-02\",\"by\":{\"user\":\"sw\"},"
    "\"data\":{\"id\":\"C4\",\"role\":\"child\",\"name\":\"Four\",\"born\":\"2015-01-01\"}}",
    "{\"kind\":\"case.allocated\",\"occurred_at\":\"2023-01-03\",\"by\":{\"user\":\"tm\"},"
    "\"data\":{\"child\":\"C1\",\"worker\":\"alice\",\"team\":\"north\"}}",
    "{\"kind\":\"case.allocated\",\"occurred_at\":\"2023-01-03\",\"by\":{\"user\":\"tm\"},"
    "\"data\":{\"child\":\"C2\",\"worker\":\"carol\",\"team\":\"south\"}}",
    /* no team on the allocation: the worker's own team (north) counts */
    "{\"kind\":\"case.allocated\",\"occurred_at\":\"2023-01-03\",\"by\":{\"user\":\"tm\"},"
    "\"data\":{\"child\":\"C3\",\"worker\":\"dave\"}}",
};

static void family(fixture *f)
{
	add_user(f, "alice", ROLE_SOCIAL_WORKER, "north");
	add_user(f, "bob", ROLE_SOCIAL_WORKER, "north");
	add_user(f, "carol", ROLE_SOCIAL_WORKER, "south");
	add_user(f, "dave", ROLE_SOCIAL_WORKER, "north");
	add_user(f, "tm", ROLE_TEAM_MANAGER, "north");
	add_user(f, "sm", ROLE_SENIOR_MANAGER, NULL);
	add_user(f, "dcs", ROLE_DIRECTOR, NULL);
	add_user(f, "rev", ROLE_REVIEWER, NULL);
	add_user(f, "data", ROLE_DATA_OFFICER, NULL);
	add_user(f, "adm", ROLE_ADMIN, NULL);
	for (size_t i = 0; i < SL_ARRAY_LEN(people); i++)
		append(f, people[i]);
}

static auth_user user(fixture *f, const char *login)
{
	auth_user u;
	sl_err err = {0};
	assert_int_equal(auth_user_get(f->a, login, &u, &err), 0);
	return u;
}

static auth_decision decide(fixture *f, const auth_user *u, const char *child)
{
	auth_decision d = AUTH_ALLOW;
	sl_err err = {0};
	if (auth_child_access(f->a, u, child, &d, &err))
		fail_msg("decide %s %s: %s", u->login, child, err.msg);
	return d;
}

/* Every user against C1..C4 and an unknown child: A allow, D deny, S sealed. */
static void expect_table(fixture *f, const char *const rows[][2], size_t n)
{
	static const char *const children[] = {"C1", "C2", "C3", "C4", "C9"};
	static const char mark[] = {'A', 'D', 'S'};

	for (size_t i = 0; i < n; i++) {
		auth_user u;
		char got[6] = {0};
		if (strncmp(rows[i][0], "agency:", 7) == 0) {
			memset(&u, 0, sizeof(u));
			snprintf(u.login, sizeof(u.login), "%s", rows[i][0]);
			u.role = ROLE_PARTNER;
			snprintf(u.agency, sizeof(u.agency), "police");
		} else {
			u = user(f, rows[i][0]);
		}
		for (size_t c = 0; c < 5; c++)
			got[c] = mark[decide(f, &u, children[c])];
		if (strcmp(got, rows[i][1]) != 0)
			fail_msg("%s: expected %s for C1..C4,C9, got %s", rows[i][0], rows[i][1], got);
	}
}

static void test_who_sees_which_child(void **state)
{
	fixture *f = *state;
	static const char *const table[][2] = {
	    {"alice", "ADADD"},                                     /* allocated C1; C3 through dave's team */
	    {"bob", "ADADD"},                                       /* team north */
	    {"carol", "DADDD"},                                     /* allocated C2 */
	    {"dave", "ADADD"},                                      /* allocated C3; team north has C1 */
	    {"tm", "ADADD"},                                        /* manager of north */
	    {"sm", "AAAAA"},    {"dcs", "AAAAA"}, {"rev", "DDDDD"}, /* no grants yet */
	    {"data", "DDDDD"},  {"adm", "DDDDD"}, {"agency:police:cad", "DDDDD"},
	};
	family(f);
	expect_table(f, table, SL_ARRAY_LEN(table));
}

static void test_grants_open_a_record_to_a_reviewer_until_revoked(void **state)
{
	fixture *f = *state;
	static const char *const granted[][2] = {
	    {"rev", "DADDD"}, {"carol", "DADDD"}, {"data", "DDDDD"}, {"adm", "DDDDD"}, {"alice", "AAADD"},
	};
	static const char *const revoked[][2] = {{"rev", "DDDDD"}, {"alice", "ADADD"}};

	family(f);
	append(f, "{\"kind\":\"access.granted\",\"occurred_at\":\"2023-02-01\",\"by\":{\"user\":\"sm\"},"
	          "\"data\":{\"child\":\"C2\",\"user\":\"rev\",\"reason\":\"serious case review\"}}");
	append(f, "{\"kind\":\"access.granted\",\"occurred_at\":\"2023-02-01\",\"by\":{\"user\":\"sm\"},"
	          "\"data\":{\"child\":\"C2\",\"user\":\"data\",\"reason\":\"no case content for data officers\"}}");
	append(f, "{\"kind\":\"access.granted\",\"occurred_at\":\"2023-02-01\",\"by\":{\"user\":\"sm\"},"
	          "\"data\":{\"child\":\"C2\",\"user\":\"adm\",\"reason\":\"nor for admins\"}}");
	append(f, "{\"kind\":\"access.granted\",\"occurred_at\":\"2023-02-01\",\"by\":{\"user\":\"sm\"},"
	          "\"data\":{\"child\":\"C2\",\"user\":\"alice\",\"reason\":\"covering for carol\"}}");
	/* granting twice changes nothing */
	append(f, "{\"kind\":\"access.granted\",\"occurred_at\":\"2023-02-02\",\"by\":{\"user\":\"sm\"},"
	          "\"data\":{\"child\":\"C2\",\"user\":\"rev\",\"reason\":\"again\"}}");
	expect_table(f, granted, SL_ARRAY_LEN(granted));
	append(f, "{\"kind\":\"access.revoked\",\"occurred_at\":\"2023-03-01\",\"by\":{\"user\":\"sm\"},"
	          "\"data\":{\"child\":\"C2\",\"user\":\"rev\",\"reason\":\"review done\"}}");
	append(f, "{\"kind\":\"access.revoked\",\"occurred_at\":\"2023-03-01\",\"by\":{\"user\":\"sm\"},"
	          "\"data\":{\"child\":\"C2\",\"user\":\"alice\",\"reason\":\"carol is back\"}}");
	expect_table(f, revoked, SL_ARRAY_LEN(revoked));
}

static void test_sealed_record_needs_a_grant_or_break_glass(void **state)
{
	fixture *f = *state;
	app_rebuild_stats stats;
	sl_err err = {0};
	static const char *const sealed[][2] = {
	    {"alice", "SDADD"}, {"bob", "SDADD"}, {"carol", "SADDD"}, {"tm", "SDADD"},  {"sm", "SAAAA"},
	    {"dcs", "SAAAA"},   {"rev", "DDDDD"}, {"data", "DDDDD"},  {"adm", "DDDDD"},
	};
	static const char *const with_grant[][2] = {{"alice", "ADADD"}, {"bob", "SDADD"}, {"rev", "ADDDD"}};
	static const char *const others[][2] = {
	    {"sm", "SAAAA"}, {"dcs", "SAAAA"}, {"data", "DDDDD"}, {"adm", "DDDDD"}, {"tm", "SDADD"},
	};
	static const char *const unsealed[][2] = {{"alice", "ADADD"}, {"bob", "ADADD"}, {"rev", "ADDDD"}};

	family(f);
	append(f, "{\"kind\":\"record.sealed\",\"occurred_at\":\"2023-02-01\",\"by\":{\"user\":\"sm\"},"
	          "\"data\":{\"child\":\"C1\",\"reason\":\"adoption\"}}");
	expect_table(f, sealed, SL_ARRAY_LEN(sealed));
	append(f, "{\"kind\":\"access.granted\",\"occurred_at\":\"2023-02-01\",\"by\":{\"user\":\"sm\"},"
	          "\"data\":{\"child\":\"C1\",\"user\":\"alice\",\"reason\":\"allocated worker\"}}");
	append(f, "{\"kind\":\"access.granted\",\"occurred_at\":\"2023-02-01\",\"by\":{\"user\":\"sm\"},"
	          "\"data\":{\"child\":\"C1\",\"user\":\"rev\",\"reason\":\"review\"}}");
	expect_table(f, with_grant, SL_ARRAY_LEN(with_grant));
	/* the projections are derived from the ledger: a rebuild agrees */
	assert_int_equal(app_rebuild(f->a, &stats, &err), 0);
	expect_table(f, with_grant, SL_ARRAY_LEN(with_grant));
	expect_table(f, others, SL_ARRAY_LEN(others));
	append(f, "{\"kind\":\"record.unsealed\",\"occurred_at\":\"2023-03-01\",\"by\":{\"user\":\"sm\"},"
	          "\"data\":{\"child\":\"C1\",\"reason\":\"order discharged\"}}");
	expect_table(f, unsealed, SL_ARRAY_LEN(unsealed));
}

static void test_closed_case_keeps_its_last_allocation(void **state)
{
	fixture *f = *state;
	static const char *const rows[][2] = {{"alice", "ADADD"}, {"carol", "DADDD"}};
	static const char *const moved[][2] = {{"alice", "DDADD"}, {"carol", "AADDD"}, {"tm", "DDADD"}};

	family(f);
	append(f, "{\"kind\":\"case.closed\",\"occurred_at\":\"2023-04-01\",\"by\":{\"user\":\"tm\"},"
	          "\"data\":{\"child\":\"C1\",\"reason\":\"RC8\"}}");
	expect_table(f, rows, SL_ARRAY_LEN(rows));
	/* the latest allocation is the one that counts */
	append(f, "{\"kind\":\"case.allocated\",\"occurred_at\":\"2023-05-01\",\"by\":{\"user\":\"tm\"},"
	          "\"data\":{\"child\":\"C1\",\"worker\":\"carol\",\"team\":\"south\"}}");
	expect_table(f, moved, SL_ARRAY_LEN(moved));
}

static void test_access_decision_refuses_a_bad_child_id(void **state)
{
	fixture *f = *state;
	auth_decision d = AUTH_ALLOW;
	auth_user u;
	sl_err err = {0};

	add_user(f, "sm", ROLE_SENIOR_MANAGER, NULL);
	u = user(f, "sm");
	assert_int_equal(auth_child_access(f->a, &u, "../etc/passwd", &d, &err), SL_EINVAL);
	assert_int_equal(d, AUTH_DENY);
	assert_int_equal(auth_child_access(f->a, &u, "C1' OR '1'='1", &d, &err), SL_EINVAL);
	assert_int_equal(auth_child_access(f->a, &u, NULL, &d, &err), SL_EINVAL);
	u.disabled = true;
	assert_int_equal(auth_child_access(f->a, &u, "C1", &d, &err), 0);
	assert_int_equal(d, AUTH_DENY);
}

/* ---- the access log -------------------------------------------------------- */

static int collect(void *ctx, json_t *o, sl_err *err)
{
	(void)err;
	json_array_append(ctx, o);
	return 0;
}

static json_t *access_of(fixture *f, const char *child)
{
	json_t *list = json_array();
	sl_err err = {0};
	assert_int_equal(auth_access_list(f->a, child, collect, list, &err), 0);
	return list;
}

static const char *s_of(const json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));
	return s ? s : "(none)";
}

static int take_row(void *ctx, const store_event *ev, sl_err *err)
{
	uint8_t *leaf = ctx;
	buf scratch = BUF_INIT;
	(void)err;
	ledger_row_leaf_hash(ev, &scratch, leaf + 32 * (ev->seq - 1));
	buf_release(&scratch);
	return 0;
}

static void test_reads_are_recorded_in_the_access_log(void **state)
{
	fixture *f = *state;
	json_t *list;
	auth_user alice;
	sl_err err = {0};
	uint8_t rows[2 * 32], leaf[32];

	family(f);
	alice = user(f, "alice");
	auth_clock_set(f->a, T0);
	assert_int_equal(auth_access_record(f->a, &alice, "C1", "/api/v1/children/C1", NULL, &err), 0);
	assert_int_equal(auth_access_record(f->a, &alice, "C1", "/api/v1/children/C1/chronology", NULL, &err), 0);
	assert_int_equal(ledger_size(app_access_ledger(f->a)), 2);
	list = access_of(f, "C1");
	assert_int_equal(json_array_size(list), 2);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(list, 0), "seq")), 1);
	assert_string_equal(s_of(json_array_get(list, 0), "user"), "alice");
	assert_string_equal(s_of(json_array_get(list, 0), "role"), "social_worker");
	assert_string_equal(s_of(json_array_get(list, 0), "route"), "/api/v1/children/C1");
	assert_string_equal(s_of(json_array_get(list, 0), "at"), "2023-11-14T22:13:20.000Z");
	assert_null(json_object_get(json_array_get(list, 0), "break_glass"));
	assert_string_equal(s_of(json_array_get(list, 1), "route"), "/api/v1/children/C1/chronology");
	json_decref(list);
	list = access_of(f, "C2");
	assert_int_equal(json_array_size(list), 0);
	json_decref(list);
	/* the rows are what the Merkle tree holds: leaf for leaf */
	assert_int_equal(store_log_scan(app_store(f->a), STORE_LOG_ACCESS, 1, 0, take_row, rows, &err), 0);
	for (uint64_t seq = 1; seq <= 2; seq++) {
		assert_int_equal(ledger_leaf_hash(app_access_ledger(f->a), seq, leaf, &err), 0);
		assert_memory_equal(leaf, rows + 32 * (seq - 1), 32);
	}
	/* bad input is refused and writes nothing */
	assert_int_equal(auth_access_record(f->a, &alice, "C 1", "/x", NULL, &err), SL_EINVAL);
	assert_int_equal(auth_access_record(f->a, &alice, "C1", "", NULL, &err), SL_EINVAL);
	assert_int_equal(auth_access_record(f->a, &alice, "C1", "/x\r\nSet-Cookie: a=b", NULL, &err), SL_EINVAL);
	assert_int_equal(auth_access_record(f->a, NULL, "C1", "/x", NULL, &err), SL_EINVAL);
	assert_int_equal(ledger_size(app_access_ledger(f->a)), 2);
	assert_int_equal(auth_access_list(f->a, "no such/child", collect, NULL, &err), SL_EINVAL);
}

static int last_event(void *ctx, const store_event *ev, sl_err *err)
{
	json_t **out = ctx;
	(void)err;
	json_decref(*out);
	*out = json_loadb(ev->event, ev->event_len, 0, NULL);
	return 0;
}

static void test_break_glass_is_recorded_and_raises_a_notice(void **state)
{
	fixture *f = *state;
	auth_user bob, rev;
	json_t *list, *ev = NULL;
	uint64_t cases;
	note_verifier *v = NULL;
	verify_result res;
	const char *origin;
	char *note = NULL;
	sl_err err = {0};

	family(f);
	append(f, "{\"kind\":\"record.sealed\",\"occurred_at\":\"2023-02-01\",\"by\":{\"user\":\"sm\"},"
	          "\"data\":{\"child\":\"C1\",\"reason\":\"adoption\"}}");
	bob = user(f, "bob");
	rev = user(f, "rev");
	cases = ledger_size(app_ledger(f->a));
	/* a reason is required, and only some roles may break the glass */
	assert_int_equal(auth_access_record(f->a, &bob, "C1", "/api/v1/children/C1", "", &err), SL_EINVAL);
	assert_int_equal(auth_access_record(f->a, &bob, "C1", "/api/v1/children/C1", "   ", &err), SL_EINVAL);
	assert_int_equal(auth_access_record(f->a, &bob, "C1", "/api/v1/children/C1", "line\nbreak", &err), SL_EINVAL);
	assert_int_equal(auth_access_record(f->a, &rev, "C1", "/api/v1/children/C1", "curious", &err), SL_EDENIED);
	assert_int_equal(ledger_size(app_access_ledger(f->a)), 0);
	assert_int_equal(ledger_size(app_ledger(f->a)), cases);

	assert_int_equal(
	    auth_access_record(f->a, &bob, "C1", "/api/v1/children/C1", "police at the door; duty worker", &err), 0);
	list = access_of(f, "C1");
	assert_int_equal(json_array_size(list), 1);
	assert_string_equal(s_of(json_array_get(list, 0), "break_glass"), "police at the door; duty worker");
	assert_string_equal(s_of(json_array_get(list, 0), "user"), "bob");
	json_decref(list);
	/* the notice on the case ledger, in the same transaction */
	assert_int_equal(ledger_size(app_ledger(f->a)), cases + 1);
	assert_int_equal(store_event_scan(app_store(f->a), cases + 1, 0, last_event, &ev, &err), 0);
	assert_string_equal(s_of(ev, "kind"), "access.break_glass");
	assert_string_equal(s_of(json_object_get(ev, "data"), "child"), "C1");
	assert_string_equal(s_of(json_object_get(ev, "data"), "user"), "bob");
	assert_string_equal(s_of(json_object_get(ev, "data"), "reason"), "police at the door; duty worker");
	assert_string_equal(s_of(ev, "recorder"), "safeledger");
	json_decref(ev);

	/* both logs verify, checkpoints included */
	assert_int_equal(app_checkpoint_log(f->a, STORE_LOG_ACCESS, true, &note, &err), 0);
	assert_non_null(strstr(note, "test.example/safeledger/access\n1\n"));
	free(note);
	assert_int_equal(note_verifier_parse(app_vkey(f->a), &v, &err), 0);
	app_log(f->a, STORE_LOG_ACCESS, &origin);
	assert_string_equal(origin, "test.example/safeledger/access");
	if (verify_log(app_store(f->a), STORE_LOG_ACCESS, v, origin, &res, NULL, NULL, &err))
		fail_msg("verify access: %s", err.msg);
	assert_int_equal(res.events, 1);
	assert_true(res.checkpoints >= 2);
	if (verify_log(app_store(f->a), STORE_LOG_CASES, v, app_origin(f->a), &res, NULL, NULL, &err))
		fail_msg("verify cases: %s", err.msg);
	assert_int_equal(res.events, cases + 1);
	/* the access log's checkpoint is not the case log's */
	assert_int_equal(verify_log(app_store(f->a), STORE_LOG_ACCESS, v, app_origin(f->a), &res, NULL, NULL, &err),
	                 SL_ECORRUPT);
	note_verifier_free(v);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_role_names_round_trip),
	    cmocka_unit_test_setup_teardown(test_user_is_stored_with_an_argon2id_hash_only, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_user_add_refuses_bad_input_and_writes_nothing, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_login_gives_a_session_and_wrong_input_the_same_answer, setup,
	                                    teardown),
	    cmocka_unit_test_setup_teardown(test_backoff_after_five_failures_for_known_and_unknown_logins, setup,
	                                    teardown),
	    cmocka_unit_test_setup_teardown(test_session_expires_when_idle, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_session_ends_at_its_absolute_limit_however_used, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_session_is_touched_at_most_once_a_minute, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_logout_and_bad_tokens, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_disabling_ends_sessions_and_sign_in, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_passwd_replaces_the_password, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_partner_tokens, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_who_sees_which_child, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_grants_open_a_record_to_a_reviewer_until_revoked, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_sealed_record_needs_a_grant_or_break_glass, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_closed_case_keeps_its_last_allocation, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_access_decision_refuses_a_bad_child_id, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_reads_are_recorded_in_the_access_log, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_break_glass_is_recorded_and_raises_a_notice, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
