/*
 * auth.c - users, passwords, sessions, partner tokens, access decisions and
 * the access log.  See auth.h; docs/security.md explains the choices.
 *
 * Passwords are libsodium Argon2id strings at the INTERACTIVE limits (about
 * 64 MiB and a tenth of a second a check): enough to make a stolen database
 * expensive to crack, cheap enough that a sign-in is not a denial of
 * service.  Tokens (sessions, partners) are 32 bytes from the CSPRNG in
 * base64url; only SHA-256 of the token is stored, and since a token has
 * 256 bits of entropy a fast hash is enough (no one can guess preimages).
 *
 * The clock: sessions and backoff compare Unix seconds from auth_time(),
 * which a test may fix with auth_clock_set() to step past a timeout; the
 * code under test is the same either way.
 *
 * The access log is a second ledger (a->access) with the case ledger's
 * leaf format, so its tiles reveal nothing about a child and the same
 * verify and proof code serves it.
 */
#include "util/common.h"
#include "app/auth.h"
#include "app/app_internal.h"
#include "domain/vocab.h"
#include "ledger/jcs.h"
#include "util/date.h"
#include "util/sha256.h"
#include "util/utf8.h"

#include <pthread.h>
#include <sodium.h>
#include <time.h>

static const char *const role_names[ROLE_COUNT] = {
    [ROLE_SOCIAL_WORKER] = "social_worker",
    [ROLE_TEAM_MANAGER] = "team_manager",
    [ROLE_SENIOR_MANAGER] = "senior_manager",
    [ROLE_DIRECTOR] = "director",
    [ROLE_PARTNER] = "partner",
    [ROLE_REVIEWER] = "reviewer",
    [ROLE_DATA_OFFICER] = "data_officer",
    [ROLE_ADMIN] = "admin",
};

const char *auth_role_name(auth_role role)
{
	return (unsigned)role < ROLE_COUNT ? role_names[role] : NULL;
}

int auth_role_parse(const char *name)
{
	int i;
	for (i = 0; name && i < ROLE_COUNT; i++)
		if (strcmp(role_names[i], name) == 0)
			return i;
	return -1;
}

bool auth_may_break_glass(auth_role role)
{
	return role == ROLE_SOCIAL_WORKER || role == ROLE_TEAM_MANAGER || role == ROLE_SENIOR_MANAGER ||
	       role == ROLE_DIRECTOR;
}

void auth_clock_set(app *a, int64_t now)
{
	a->auth_now = now;
}

static int64_t auth_time(const app *a)
{
	return a->auth_now ? a->auth_now : (int64_t)time(NULL);
}

/* RFC 3339 text of the auth clock, for rows and access entries. */
static void auth_time_text(const app *a, char out[LEDGER_TIME_LEN])
{
	time_t t = (time_t)a->auth_now;
	struct tm tm;

	if (!a->auth_now) {
		ledger_now(out);
		return;
	}
	gmtime_r(&t, &tm);
	strftime(out, LEDGER_TIME_LEN, "%Y-%m-%dT%H:%M:%S.000Z", &tm);
}

/* ---- checks of what users type -------------------------------------------- */

/* Valid UTF-8 without control characters (C0, DEL, C1), at most max bytes;
 * *chars (may be NULL) gets the number of characters. */
static bool text_ok(const char *s, size_t max, size_t *chars)
{
	size_t n = strlen(s);
	return n <= max && utf8_text_ok(s, n, chars);
}

static bool login_ok(const char *login)
{
	size_t i, n = login ? strlen(login) : 0;

	if (n == 0 || n > AUTH_MAX_LOGIN)
		return false;
	for (i = 0; i < n; i++) {
		char ch = login[i];
		if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '.' ||
		      ch == '_' || ch == '-' || ch == '@'))
			return false;
	}
	return true;
}

static int check_login(const char *login, sl_err *err)
{
	if (login_ok(login))
		return 0;
	return sl_fail(err, SL_EINVAL, "login: use 1 to %d letters, digits, '.', '_', '-' or '@'", AUTH_MAX_LOGIN);
}

int auth_password_check(const char *password, sl_err *err)
{
	size_t chars;

	if (!password || !*password)
		return sl_fail(err, SL_EINVAL, "password: empty");
	if (strlen(password) > AUTH_MAX_PASSWORD)
		return sl_fail(err, SL_EINVAL, "password: longer than %d bytes", AUTH_MAX_PASSWORD);
	if (!text_ok(password, AUTH_MAX_PASSWORD, &chars))
		return sl_fail(err, SL_EINVAL, "password: not valid UTF-8, or contains a control character");
	if (chars < AUTH_MIN_PASSWORD)
		return sl_fail(err, SL_EINVAL, "password: at least %d characters (this one has %zu)", AUTH_MIN_PASSWORD,
		               chars);
	return 0;
}

/* An optional one-line value (team, name): NULL or "" is none. */
static int check_text(const char *what, const char *v, sl_err *err)
{
	if (v && *v && !text_ok(v, AUTH_MAX_TEXT, NULL))
		return sl_fail(err, SL_EINVAL, "%s: at most %d bytes of UTF-8 without control characters", what,
		               AUTH_MAX_TEXT);
	return 0;
}

static bool token_syntax_ok(const char *token)
{
	size_t i;

	if (!token || strlen(token) != AUTH_TOKEN_LEN)
		return false;
	for (i = 0; i < AUTH_TOKEN_LEN; i++) {
		char ch = token[i];
		if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '-' ||
		      ch == '_'))
			return false;
	}
	return true;
}

/* 32 random bytes, base64url without padding (43 characters). */
static char *new_token(void)
{
	uint8_t raw[32];
	char *out = xmalloc(AUTH_TOKEN_LEN + 1);

	randombytes_buf(raw, sizeof(raw));
	sodium_bin2base64(out, AUTH_TOKEN_LEN + 1, raw, sizeof(raw), sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	sodium_memzero(raw, sizeof(raw));
	return out;
}

static void token_hash(const char *token, uint8_t out[SHA256_LEN])
{
	sha256(token, strlen(token), out);
}

bool auth_csrf_equal(const char *expected, const char *given)
{
	size_t n;

	if (!expected || !given || !*expected)
		return false;
	n = strlen(expected);
	if (strlen(given) != n)
		return false;
	return sodium_memcmp(expected, given, n) == 0;
}

/* ---- the store's rows as auth_users ---------------------------------------- */

static void copy_text(char *dst, size_t size, const char *src)
{
	snprintf(dst, size, "%s", src ? src : "");
}

static void fill_user(auth_user *out, const store_user *u)
{
	int role = auth_role_parse(u->role);

	memset(out, 0, sizeof(*out));
	copy_text(out->login, sizeof(out->login), u->login);
	/* an unknown role (a newer program's) may see nothing: admins see no
	 * case content */
	out->role = role < 0 ? ROLE_ADMIN : (auth_role)role;
	copy_text(out->team, sizeof(out->team), u->team);
	if (out->role == ROLE_PARTNER) { /* a partner user's agency is kept where a team would be */
		copy_text(out->agency, sizeof(out->agency), u->team);
		out->team[0] = '\0';
	}
	copy_text(out->name, sizeof(out->name), u->name);
	out->disabled = u->disabled;
}

/* A user with their password hash, for sign-in. */
typedef struct user_row {
	auth_user user;
	char hash[crypto_pwhash_STRBYTES];
} user_row;

static int take_user(void *ctx, const store_user *u, sl_err *err)
{
	user_row *r = ctx;
	(void)err;
	fill_user(&r->user, u);
	copy_text(r->hash, sizeof(r->hash), u->password);
	return 0;
}

/* ---- users ---------------------------------------------------------------- */

/* At most this many Argon2id computations at once (64 MiB each): the
 * server runs sign-ins on its write pool, up to 64 at a time, and 64 of
 * them would want 4 GiB.  The cores are the limit anyway; the others wait
 * their turn.  Unknown logins' dummy checks wait the same way, so the wait
 * tells nothing. */
#define MAX_HASHING 4
static pthread_mutex_t hashing_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t hashing_cv = PTHREAD_COND_INITIALIZER;
static int hashing;

static void hashing_enter(void)
{
	pthread_mutex_lock(&hashing_mu);
	while (hashing >= MAX_HASHING)
		pthread_cond_wait(&hashing_cv, &hashing_mu);
	hashing++;
	pthread_mutex_unlock(&hashing_mu);
}

static void hashing_leave(void)
{
	pthread_mutex_lock(&hashing_mu);
	hashing--;
	pthread_cond_signal(&hashing_cv);
	pthread_mutex_unlock(&hashing_mu);
}

static int hash_password(const char *password, char out[crypto_pwhash_STRBYTES], sl_err *err)
{
	int rc;

	hashing_enter();
	rc = crypto_pwhash_str(out, password, strlen(password), crypto_pwhash_OPSLIMIT_INTERACTIVE,
	                       crypto_pwhash_MEMLIMIT_INTERACTIVE);
	hashing_leave();
	if (rc != 0)
		return sl_fail(err, SL_ENOMEM, "not enough memory to hash the password");
	return 0;
}

/* One write in its own transaction. */
#define IN_TRANSACTION(a, err, body)                                                                                   \
	do {                                                                                                           \
		if ((rc = store_begin((a)->store, err)))                                                               \
			goto done;                                                                                     \
		if ((rc = (body)) || (rc = store_commit((a)->store, err))) {                                           \
			store_rollback((a)->store);                                                                    \
			goto done;                                                                                     \
		}                                                                                                      \
	} while (0)

int auth_user_add(app *a, const char *login, auth_role role, const char *team, const char *name, const char *password,
                  sl_err *err)
{
	char hash[crypto_pwhash_STRBYTES], now[LEDGER_TIME_LEN];
	store_user u;
	int rc;

	if ((rc = check_login(login, err)))
		return rc;
	if (!auth_role_name(role))
		return sl_fail(err, SL_EINVAL, "role: not a role");
	if (role == ROLE_PARTNER)
		return sl_fail(err, SL_EINVAL,
		               "role: a partner user needs an agency (`safeledger user add LOGIN --role partner "
		               "--agency AGENCY`), or give the agency's system a token "
		               "(`safeledger token add --agency AGENCY --name NAME`)");
	if ((rc = check_text("team", team, err)) || (rc = check_text("name", name, err)))
		return rc;
	if (role == ROLE_TEAM_MANAGER && !(team && *team))
		return sl_fail(err, SL_EINVAL, "team: a team manager needs a team (--team TEAM)");
	if ((rc = auth_password_check(password, err)) || (rc = hash_password(password, hash, err)))
		return rc;
	u = (store_user){login, auth_role_name(role), team && *team ? team : NULL, name && *name ? name : NULL, hash,
	                 false};
	auth_time_text(a, now);
	IN_TRANSACTION(a, err, store_user_add(a->store, &u, now, err));
done:
	sodium_memzero(hash, sizeof(hash));
	return rc;
}

int auth_user_passwd(app *a, const char *login, const char *password, sl_err *err)
{
	char hash[crypto_pwhash_STRBYTES], now[LEDGER_TIME_LEN];
	int rc;

	if ((rc = check_login(login, err)) || (rc = auth_password_check(password, err)) ||
	    (rc = hash_password(password, hash, err)))
		return rc;
	auth_time_text(a, now);
	IN_TRANSACTION(a, err, store_user_password(a->store, login, hash, now, err));
done:
	sodium_memzero(hash, sizeof(hash));
	return rc;
}

int auth_user_disable(app *a, const char *login, sl_err *err)
{
	char now[LEDGER_TIME_LEN];
	int rc;

	if ((rc = check_login(login, err)))
		return rc;
	auth_time_text(a, now);
	IN_TRANSACTION(a, err, store_user_disable(a->store, login, now, err));
done:
	return rc;
}

struct list_ctx {
	auth_user_cb cb;
	void *ctx;
};

static int list_user(void *ctx, const store_user *u, sl_err *err)
{
	struct list_ctx *l = ctx;
	auth_user out;
	fill_user(&out, u);
	return l->cb(l->ctx, &out, err);
}

int auth_user_list(app *a, auth_user_cb cb, void *ctx, sl_err *err)
{
	struct list_ctx l = {cb, ctx};
	return store_user_list(a->store, list_user, &l, err);
}

int auth_user_get(app *a, const char *login, auth_user *out, sl_err *err)
{
	user_row r;
	int rc;

	memset(out, 0, sizeof(*out));
	memset(&r, 0, sizeof(r));
	if (!login_ok(login))
		return sl_fail(err, SL_ENOTFOUND, "no user with that login");
	rc = store_user_get(a->store, login, take_user, &r, err);
	sodium_memzero(r.hash, sizeof(r.hash));
	if (!rc)
		*out = r.user;
	return rc;
}

/* ---- sign-in and sessions ------------------------------------------------- */

#define WRONG_LOGIN "wrong login or password"

/* A hash no password matches, checked for unknown logins so that they
 * cost what a known one does. */
static char dummy_hash[crypto_pwhash_STRBYTES];
static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;

static void make_dummy_hash(void)
{
	char *secret = new_token();
	if (crypto_pwhash_str(dummy_hash, secret, strlen(secret), crypto_pwhash_OPSLIMIT_INTERACTIVE,
	                      crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
		dummy_hash[0] = '\0';
	sodium_memzero(secret, strlen(secret));
	free(secret);
}

static bool password_matches(const char *hash, const char *password)
{
	size_t n = strlen(password);
	int rc;

	if (!hash[0])
		return false;
	hashing_enter();
	rc = crypto_pwhash_str_verify(hash, password, n > AUTH_MAX_PASSWORD ? AUTH_MAX_PASSWORD : n);
	hashing_leave();
	return rc == 0;
}

/* SL_EDENIED while the login has had AUTH_BACKOFF_FAILURES failures within
 * the window; the wait is until the oldest of them leaves it. */
static int backoff(app *a, const char *login, int64_t now, sl_err *err)
{
	int64_t times[AUTH_BACKOFF_FAILURES];
	unsigned n = 0;
	int64_t wait;
	int rc;

	if ((rc = store_login_failures(a->store, login, now - AUTH_BACKOFF_SECONDS + 1, times, AUTH_BACKOFF_FAILURES,
	                               &n, err)))
		return rc;
	if (n < AUTH_BACKOFF_FAILURES)
		return 0;
	wait = times[AUTH_BACKOFF_FAILURES - 1] + AUTH_BACKOFF_SECONDS - now;
	return sl_fail(err, SL_EDENIED, "too many failed sign-ins for this login: try again in %lld minute%s",
	               (long long)((wait + 59) / 60), wait > 60 ? "s" : "");
}

static int record_failure(app *a, const char *login, const char *client, int64_t now, sl_err *err)
{
	char where[64];
	int rc;

	/* an address, not whatever a proxy header held: keep it short */
	copy_text(where, sizeof(where), client);
	if ((rc = store_begin(a->store, err)))
		return rc;
	if ((rc = store_login_failure_add(a->store, login, now, client ? where : NULL, err)) ||
	    (rc = store_login_failures_clear(a->store, NULL, now - AUTH_BACKOFF_SECONDS, err)) ||
	    (rc = store_commit(a->store, err)))
		store_rollback(a->store);
	return rc;
}

static int start_session(app *a, const user_row *r, const char *password, int64_t now, char **token, char **csrf,
                         sl_err *err)
{
	char *t = new_token(), *c = new_token();
	char rehash[crypto_pwhash_STRBYTES], when[LEDGER_TIME_LEN];
	uint8_t h[SHA256_LEN];
	store_session x;
	bool upgrade;
	int rc;

	token_hash(t, h);
	x = (store_session){h, r->user.login, c, now, now};
	/* a hash made with older limits is upgraded while the password is at
	 * hand (the only time it is) */
	upgrade = crypto_pwhash_str_needs_rehash(r->hash, crypto_pwhash_OPSLIMIT_INTERACTIVE,
	                                         crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0 &&
	          hash_password(password, rehash, NULL) == 0;
	auth_time_text(a, when);
	if ((rc = store_begin(a->store, err)))
		goto done;
	if ((rc = store_login_failures_clear(a->store, r->user.login, 0, err)) ||
	    (rc = store_session_purge(a->store, now - AUTH_IDLE_SECONDS, now - AUTH_ABSOLUTE_SECONDS, err)) ||
	    (rc = store_session_add(a->store, &x, err)) ||
	    (upgrade && (rc = store_user_password(a->store, r->user.login, rehash, when, err))) ||
	    (rc = store_commit(a->store, err))) {
		store_rollback(a->store);
		goto done;
	}
	*token = t;
	*csrf = c;
	t = c = NULL;
done:
	sodium_memzero(rehash, sizeof(rehash));
	free(t);
	free(c);
	return rc;
}

int auth_login(app *a, const char *login, const char *password, const char *client, char **token, char **csrf,
               auth_user *user, sl_err *err)
{
	int64_t now = auth_time(a);
	user_row r;
	bool known = false, match;
	int rc;

	*token = *csrf = NULL;
	memset(user, 0, sizeof(*user));
	memset(&r, 0, sizeof(r));
	pthread_once(&dummy_once, make_dummy_hash);
	if (!password)
		password = "";
	if (!login_ok(login)) {
		password_matches(dummy_hash, password);
		return sl_fail(err, SL_EDENIED, WRONG_LOGIN);
	}
	if ((rc = backoff(a, login, now, err)))
		return rc;
	rc = store_user_get(a->store, login, take_user, &r, err);
	if (rc && rc != SL_ENOTFOUND)
		goto done;
	known = rc == 0;
	match = password_matches(known ? r.hash : dummy_hash, password) && known;
	if (!match) {
		if ((rc = record_failure(a, login, client, now, err)))
			goto done;
		rc = sl_fail(err, SL_EDENIED, WRONG_LOGIN);
		goto done;
	}
	/* only someone who knows the password learns that the account is off */
	if (r.user.disabled) {
		rc = sl_fail(err, SL_EDENIED, "this account is disabled");
		goto done;
	}
	if ((rc = start_session(a, &r, password, now, token, csrf, err)))
		goto done;
	*user = r.user;
done:
	sodium_memzero(r.hash, sizeof(r.hash));
	return rc;
}

typedef struct session_row {
	auth_user user;
	char csrf[AUTH_TOKEN_LEN + 1];
	int64_t created, last_seen;
} session_row;

static int take_session(void *ctx, const store_session *x, const store_user *u, sl_err *err)
{
	session_row *r = ctx;
	(void)err;
	fill_user(&r->user, u);
	copy_text(r->csrf, sizeof(r->csrf), x->csrf);
	r->created = x->created;
	r->last_seen = x->last_seen;
	return 0;
}

int auth_session(app *a, const char *token, const auth_session_opts *o, auth_user *user, char **csrf, sl_err *err)
{
	int idle = o && o->idle_seconds > 0 ? o->idle_seconds : AUTH_IDLE_SECONDS;
	int absolute = o && o->absolute_seconds > 0 ? o->absolute_seconds : AUTH_ABSOLUTE_SECONDS;
	int64_t now = auth_time(a);
	uint8_t h[SHA256_LEN];
	const char *why = NULL;
	session_row r;
	int rc;

	memset(user, 0, sizeof(*user));
	if (csrf)
		*csrf = NULL;
	if (!token_syntax_ok(token))
		return sl_fail(err, SL_EDENIED, "not signed in");
	token_hash(token, h);
	rc = store_session_get(a->store, h, take_session, &r, err);
	if (rc == SL_ENOTFOUND)
		return sl_fail(err, SL_EDENIED, "not signed in (no such session, or it has ended)");
	if (rc)
		return rc;
	if (now - r.created >= absolute)
		why = "the session has reached its time limit: sign in again";
	else if (now - r.last_seen >= idle)
		why = "the session has expired after a time without use: sign in again";
	else if (r.user.disabled)
		why = "this account is disabled";
	if (why) {
		/* best effort: an expired session is refused either way */
		store_session_delete(a->store, h, NULL);
		return sl_fail(err, SL_EDENIED, "%s", why);
	}
	/* Once a minute is precise enough for a 30-minute timeout, and keeps
	 * most requests from writing.  A failed touch (the database busy)
	 * only makes the session's idle time look longer: not worth failing
	 * the request for. */
	if (now - r.last_seen >= 60)
		store_session_touch(a->store, h, now, NULL);
	*user = r.user;
	if (csrf)
		*csrf = xstrdup(r.csrf);
	return 0;
}

int auth_logout(app *a, const char *token, sl_err *err)
{
	uint8_t h[SHA256_LEN];

	if (!token_syntax_ok(token))
		return 0;
	token_hash(token, h);
	return store_session_delete(a->store, h, err);
}

/* ---- partner tokens ------------------------------------------------------- */

static bool token_name_ok(const char *name)
{
	size_t i, n = name ? strlen(name) : 0;

	if (n == 0 || n > 40)
		return false;
	for (i = 0; i < n; i++) {
		char ch = name[i];
		if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '.' ||
		      ch == '_' || ch == '-'))
			return false;
	}
	return true;
}

static int check_agency(const char *agency, sl_err *err)
{
	buf list = BUF_INIT;
	size_t i;

	for (i = 0; agency && i < vocab_agency_count(); i++)
		if (strcmp(vocab_agency_name(i), agency) == 0 && strcmp(agency, "social_care") != 0)
			return 0;
	for (i = 0; i < vocab_agency_count(); i++)
		if (strcmp(vocab_agency_name(i), "social_care") != 0)
			buf_printf(&list, "%s%s", list.len ? ", " : "", vocab_agency_name(i));
	sl_fail(err, SL_EINVAL, "agency: one of %s", buf_str(&list));
	buf_release(&list);
	return SL_EINVAL;
}

int auth_partner_add(app *a, const char *login, const char *agency, const char *name, const char *password,
                     sl_err *err)
{
	char hash[crypto_pwhash_STRBYTES], now[LEDGER_TIME_LEN];
	store_user u;
	int rc;

	if ((rc = check_login(login, err)) || (rc = check_agency(agency, err)) || (rc = check_text("name", name, err)))
		return rc;
	if ((rc = auth_password_check(password, err)) || (rc = hash_password(password, hash, err)))
		return rc;
	/* the agency goes where a staff user's team goes: a partner has none */
	u = (store_user){login, auth_role_name(ROLE_PARTNER), agency, name && *name ? name : NULL, hash, false};
	auth_time_text(a, now);
	IN_TRANSACTION(a, err, store_user_add(a->store, &u, now, err));
done:
	sodium_memzero(hash, sizeof(hash));
	return rc;
}

int auth_token_add(app *a, const char *agency, const char *name, char **token, sl_err *err)
{
	char now[LEDGER_TIME_LEN];
	uint8_t h[SHA256_LEN];
	store_token t;
	char *tok = NULL;
	int rc;

	*token = NULL;
	if ((rc = check_agency(agency, err)))
		return rc;
	if (!token_name_ok(name))
		return sl_fail(err, SL_EINVAL, "name: use 1 to 40 letters, digits, '.', '_' or '-'");
	tok = new_token();
	token_hash(tok, h);
	auth_time_text(a, now);
	t = (store_token){h, agency, name, now, NULL};
	IN_TRANSACTION(a, err, store_token_add(a->store, &t, err));
	*token = tok;
	tok = NULL;
done:
	free(tok);
	return rc;
}

static int take_token(void *ctx, const store_token *t, sl_err *err)
{
	auth_user *u = ctx;

	if (t->revoked_at)
		return sl_fail(err, SL_EDENIED, "this token has been revoked");
	memset(u, 0, sizeof(*u));
	snprintf(u->login, sizeof(u->login), "agency:%s:%s", t->agency, t->name);
	u->role = ROLE_PARTNER;
	copy_text(u->agency, sizeof(u->agency), t->agency);
	copy_text(u->name, sizeof(u->name), t->name);
	return 0;
}

int auth_bearer(app *a, const char *token, auth_user *user, sl_err *err)
{
	uint8_t h[SHA256_LEN];
	int rc;

	memset(user, 0, sizeof(*user));
	if (!token_syntax_ok(token))
		return sl_fail(err, SL_EDENIED, "not a valid token");
	token_hash(token, h);
	rc = store_token_get(a->store, h, take_token, user, err);
	if (rc == SL_ENOTFOUND)
		return sl_fail(err, SL_EDENIED, "not a valid token");
	if (rc)
		memset(user, 0, sizeof(*user));
	return rc;
}

int auth_token_list(app *a, store_token_cb cb, void *ctx, sl_err *err)
{
	return store_token_list(a->store, cb, ctx, err);
}

int auth_token_revoke(app *a, const char *agency, const char *name, sl_err *err)
{
	char now[LEDGER_TIME_LEN];
	int rc;

	if (!agency || !token_name_ok(name))
		return sl_fail(err, SL_ENOTFOUND, "no such token");
	auth_time_text(a, now);
	IN_TRANSACTION(a, err, store_token_revoke(a->store, agency, name, now, err));
done:
	return rc;
}

/* ---- access decisions ----------------------------------------------------- */

#define BAD_CHILD "child: not a person id (letters, digits, '-', '_' and '.')"

static bool same_team(const char *a, const char *b)
{
	return *a && *b && strcmp(a, b) == 0;
}

int auth_child_access(app *a, const auth_user *u, const char *child, auth_decision *out, sl_err *err)
{
	store_access_facts f;
	bool normal;
	int rc;

	*out = AUTH_DENY;
	if (!child || !vocab_person_id_valid(child))
		return sl_fail(err, SL_EINVAL, BAD_CHILD);
	/* no case content for these, grants or not */
	if (u->disabled || u->role == ROLE_PARTNER || u->role == ROLE_DATA_OFFICER || u->role == ROLE_ADMIN ||
	    !auth_role_name(u->role))
		return 0;
	if ((rc = store_access_facts_get(a->store, child, u->login, &f, err)))
		return rc;
	switch (u->role) {
	case ROLE_SOCIAL_WORKER:
		normal = strcmp(f.worker, u->login) == 0 || same_team(f.team, u->team);
		break;
	case ROLE_TEAM_MANAGER:
		normal = same_team(f.team, u->team);
		break;
	case ROLE_SENIOR_MANAGER:
	case ROLE_DIRECTOR:
		normal = true;
		break;
	default: /* reviewers: grants only */
		normal = false;
	}
	if (f.granted)
		*out = AUTH_ALLOW;
	else if (f.sealed)
		*out = auth_may_break_glass(u->role) ? AUTH_SEALED : AUTH_DENY;
	else
		*out = normal ? AUTH_ALLOW : AUTH_DENY;
	return 0;
}

/* ---- the access log -------------------------------------------------------- */

/* A one-line reason with something in it besides spaces. */
static int check_reason(const char *reason, sl_err *err)
{
	const char *p;

	if (!text_ok(reason, AUTH_MAX_REASON, NULL))
		return sl_fail(err, SL_EINVAL,
		               "break-glass reason: at most %d bytes of UTF-8 on one line, without control characters",
		               AUTH_MAX_REASON);
	for (p = reason; *p == ' '; p++)
		;
	if (!*p)
		return sl_fail(err, SL_EINVAL, "break-glass reason: give a reason for opening a sealed record");
	return 0;
}

/* The case-ledger notice: access.break_glass {child, user, reason}. */
static int append_notice(app *a, const auth_user *u, const char *child, const char *reason, const char *at, sl_err *err)
{
	ledger_entry entry;
	buf day = BUF_INIT;
	json_t *ev;
	int rc;

	/* occurred today by the rules' clock (which tests and replays may
	 * fix), so the rules never tick past the day they stand at */
	if (a->today != INT32_MIN)
		date_format_day(&day, a->today);
	else
		buf_puts(&day, at);
	ev = json_pack("{s:s, s:s, s:{s:s}, s:{s:s, s:s, s:s}}", "kind", "access.break_glass", "occurred_at",
	               buf_str(&day), "by", "user", u->login, "data", "child", child, "user", u->login, "reason",
	               reason);
	rc = ev ? app_append_event(a, ev, APP_RULES_USER, true, &entry, err)
	        : sl_fail(err, SL_EINVAL, "break-glass: the notice could not be made");
	json_decref(ev);
	buf_release(&day);
	return rc;
}

int auth_access_add(app *a, const auth_user *u, const char *child, const char *route, const char *break_glass,
                    sl_err *err)
{
	char at[LEDGER_TIME_LEN];
	ledger_append_opts lo = {0};
	ledger_entry entry;
	buf canon = BUF_INIT;
	json_t *e = NULL;
	int rc;

	if (!child || !vocab_person_id_valid(child))
		return sl_fail(err, SL_EINVAL, BAD_CHILD);
	if (!u || !u->login[0] || !auth_role_name(u->role))
		return sl_fail(err, SL_EINVAL, "no user to record");
	if (!route || !*route || !text_ok(route, AUTH_MAX_TEXT, NULL))
		return sl_fail(err, SL_EINVAL, "route: 1 to %d bytes of UTF-8 without control characters",
		               AUTH_MAX_TEXT);
	if (break_glass) {
		if (!auth_may_break_glass(u->role))
			return sl_fail(err, SL_EDENIED, "a %s may not break the glass on a sealed record",
			               auth_role_name(u->role));
		if ((rc = check_reason(break_glass, err)))
			return rc;
	}
	auth_time_text(a, at);
	e = json_pack("{s:s, s:s, s:s, s:s, s:s}", "at", at, "child", child, "role", auth_role_name(u->role), "route",
	              route, "user", u->login);
	if (break_glass)
		json_object_set_new(e, "break_glass", json_string(break_glass));
	if ((rc = jcs_append(&canon, e, err)))
		goto done;
	lo.recorded_at = at;
	if ((rc = ledger_append(a->access, break_glass ? "access.break_glass" : "access.read", canon.data, canon.len,
	                        &lo, &entry, err)))
		goto done;
	if (break_glass)
		rc = append_notice(a, u, child, break_glass, at, err);
done:
	json_decref(e);
	buf_release(&canon);
	return rc;
}

int auth_access_record(app *a, const auth_user *u, const char *child, const char *route, const char *break_glass,
                       sl_err *err)
{
	int rc;

	if ((rc = app_batch_begin(a, err)))
		return rc;
	if ((rc = auth_access_add(a, u, child, route, break_glass, err))) {
		app_batch_abort(a);
		return rc;
	}
	return app_batch_commit(a, false, err);
}

struct access_list_ctx {
	app_json_cb cb;
	void *ctx;
	const char *child;
};

static int list_access(void *ctx, const store_event *ev, sl_err *err)
{
	struct access_list_ctx *l = ctx;
	json_t *entry = json_loadb(ev->event, ev->event_len, 0, NULL), *out;
	static const char *const keys[] = {"at", "user", "role", "route", "break_glass"};
	size_t i;
	int rc;

	if (!json_is_object(entry)) {
		json_decref(entry);
		return sl_fail(err, SL_ECORRUPT, "access log entry %llu is not a JSON object (run `safeledger verify`)",
		               (unsigned long long)ev->seq);
	}
	out = json_pack("{s:I}", "seq", (json_int_t)ev->seq);
	for (i = 0; i < SL_ARRAY_LEN(keys); i++) {
		json_t *v = json_object_get(entry, keys[i]);
		if (v)
			json_object_set(out, keys[i], v);
	}
	rc = l->cb(l->ctx, out, err);
	json_decref(out);
	json_decref(entry);
	return rc;
}

int auth_access_list(app *a, const char *child, app_json_cb cb, void *ctx, sl_err *err)
{
	struct access_list_ctx l = {cb, ctx, child};

	if (!child || !vocab_person_id_valid(child))
		return sl_fail(err, SL_EINVAL, BAD_CHILD);
	return store_access_of_child(a->store, child, list_access, &l, err);
}
