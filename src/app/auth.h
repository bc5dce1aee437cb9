/*
 * auth.h - who is asking, and what they may see (DESIGN 8): users and their
 * roles, passwords (Argon2id), server-side sessions, partner agencies'
 * bearer tokens, the decision whether a user may read a child's record
 * (allocation, team, grants, sealed records and break-glass), and the
 * access log that records every such read (docs/security.md).
 *
 * Secrets are never stored or logged: passwords as Argon2id strings
 * (libsodium crypto_pwhash_str), session and partner tokens as SHA-256 of
 * the token (the token itself is 32 random bytes, base64url, shown once).
 * Every function here runs its own transaction where it writes; none may
 * be called inside an app batch.
 *
 * Threads: an app is one connection, used by one thread at a time.  The
 * sign-in and session calls may run on any thread's own app; a call that
 * appends to a log (auth_access_record) must run on the one writer
 * (http.h: between http_writer_lock and http_writer_unlock), because a
 * ledger keeps its tree's right edge in memory.
 *
 * Ownership: strings returned through char ** are the caller's to free.
 */
#ifndef SL_AUTH_H
#define SL_AUTH_H

#include "app/app.h"

typedef enum auth_role {
	ROLE_SOCIAL_WORKER,
	ROLE_TEAM_MANAGER,
	ROLE_SENIOR_MANAGER,
	ROLE_DIRECTOR,
	ROLE_PARTNER,
	ROLE_REVIEWER,
	ROLE_DATA_OFFICER,
	ROLE_ADMIN,
	ROLE_COUNT
} auth_role;

const char *auth_role_name(auth_role role); /* "social_worker", ...; NULL when out of range */
int auth_role_parse(const char *name);      /* the role, or -1 */

#define AUTH_MAX_LOGIN 64
#define AUTH_MAX_TEXT 256
#define AUTH_MIN_PASSWORD 12   /* characters */
#define AUTH_MAX_PASSWORD 1024 /* bytes */
#define AUTH_MAX_REASON 1000   /* bytes of a break-glass reason */
#define AUTH_TOKEN_LEN 43      /* 32 bytes, base64url without padding */

typedef struct auth_user {
	char login[AUTH_MAX_LOGIN + 1]; /* partners: "agency:<agency>:<token name>" */
	auth_role role;
	char team[AUTH_MAX_TEXT + 1]; /* "" when none */
	char name[AUTH_MAX_TEXT + 1];
	char agency[AUTH_MAX_TEXT + 1]; /* partners only */
	bool disabled;
} auth_user;

/* --- users (`safeledger user add|list|disable|passwd`) --- */
/* A login is 1 to 64 letters, digits, '.', '_', '-' or '@' (a valid
 * vocabulary login, and no ':' so it cannot pose as a partner); a password
 * at least 12 characters, at most 1024 bytes, no control characters.  A
 * team manager needs a team.  Partners are not users: they get tokens.
 * SL_EINVAL names what is wrong; SL_ECONFLICT when the login exists. */
int auth_user_add(app *a, const char *login, auth_role role, const char *team, const char *name, const char *password,
                  sl_err *err);
/* A partner agency's person who signs in to the pages (/partner): a user
 * of role partner with an agency (one of the vocabulary's, not
 * social_care), who then records as that agency exactly as its bearer
 * token would (auth_user.agency set, team empty).  The agency is kept in
 * the user row's team column, as a partner has no team.  Errors as
 * auth_user_add. */
int auth_partner_add(app *a, const char *login, const char *agency, const char *name, const char *password,
                     sl_err *err);
/* A new password; the user's sessions stay (disable ends them). */
int auth_user_passwd(app *a, const char *login, const char *password, sl_err *err);
/* Disabling also ends the user's sessions. */
int auth_user_disable(app *a, const char *login, sl_err *err);
typedef int (*auth_user_cb)(void *ctx, const auth_user *u, sl_err *err);
int auth_user_list(app *a, auth_user_cb cb, void *ctx, sl_err *err);
int auth_user_get(app *a, const char *login, auth_user *out, sl_err *err); /* SL_ENOTFOUND */
/* SL_EINVAL naming what is wrong with a password, else 0. */
int auth_password_check(const char *password, sl_err *err);

/* --- sessions --- */
#define AUTH_IDLE_SECONDS (30 * 60)
#define AUTH_ABSOLUTE_SECONDS (12 * 60 * 60)
#define AUTH_BACKOFF_FAILURES 5
#define AUTH_BACKOFF_SECONDS (15 * 60)
typedef struct auth_session_opts {
	int idle_seconds;     /* 0: AUTH_IDLE_SECONDS (30 min) */
	int absolute_seconds; /* 0: AUTH_ABSOLUTE_SECONDS (12 h) */
} auth_session_opts;
/* Check the password; on success a new session: *token (to set as the
 * cookie) and *csrf (for HTML forms), and *user.  Wrong login or password:
 * SL_EDENIED with the same message for both (an unknown login costs the
 * same Argon2id check, so timing does not tell them apart either).  After
 * 5 failures for a login within 15 minutes, further attempts are refused
 * (SL_EDENIED, "try again in N minutes") without checking the password.
 * `client` (an address, may be NULL) is recorded with failures. */
int auth_login(app *a, const char *login, const char *password, const char *client, char **token, char **csrf,
               auth_user *user, sl_err *err);
/* The session's user and CSRF token (csrf may be NULL); SL_EDENIED when
 * unknown, expired (idle or absolute: the session is then deleted) or its
 * user disabled.  o may be NULL (the defaults).  Moves the idle clock on,
 * writing at most once a minute per session so that reads stay reads. */
int auth_session(app *a, const char *token, const auth_session_opts *o, auth_user *user, char **csrf, sl_err *err);
/* End the session (an unknown token is not an error). */
int auth_logout(app *a, const char *token, sl_err *err);
/* Constant-time comparison of a CSRF token the client sent with the
 * session's; false when either is NULL or empty. */
bool auth_csrf_equal(const char *expected, const char *given);

/* --- partner agencies (`safeledger token add --agency A --name N`) --- */
/* agency: one of the vocabulary's agencies except social_care; name: 1 to
 * 40 letters, digits, '.', '_' or '-'.  *token is shown once, never kept. */
int auth_token_add(app *a, const char *agency, const char *name, char **token, sl_err *err);
/* The partner behind a bearer token: role ROLE_PARTNER, agency set, login
 * "agency:<agency>:<name>".  SL_EDENIED for an unknown or revoked token. */
int auth_bearer(app *a, const char *token, auth_user *user, sl_err *err);
/* Tokens by agency and name (t->token_hash is NULL). */
int auth_token_list(app *a, store_token_cb cb, void *ctx, sl_err *err);
int auth_token_revoke(app *a, const char *agency, const char *name, sl_err *err); /* SL_ENOTFOUND */

/* --- what a user may see --- */
typedef enum auth_decision {
	AUTH_ALLOW,
	AUTH_DENY,
	AUTH_SEALED /* a sealed record with no grant: break-glass with a reason may open it */
} auth_decision;
/* May `u` read child's record?  Workers: children allocated to them or to
 * their team (a child's latest allocation, kept after the case closes; its
 * team, else the allocated worker's own); managers: their team's; senior
 * managers and director: everyone; reviewers: children granted to them;
 * partners, data officers and admins: no child's record.  A live grant
 * (access.granted) naming the user opens a record to any role that may see
 * case content.  A sealed child (record.sealed) needs such a grant
 * whatever the role; without one, the roles that may break the glass get
 * AUTH_SEALED, the others AUTH_DENY.  SL_EINVAL for a child id that is not
 * a person id. */
int auth_child_access(app *a, const auth_user *u, const char *child, auth_decision *out, sl_err *err);
/* Social workers, team and senior managers, and the director. */
bool auth_may_break_glass(auth_role role);

/* --- the access log (a second Merkle log, DESIGN 4 and 8) --- */
/* Record that u read child's record through `route` (the request path,
 * or a CLI command); break_glass is the reason given, or NULL.  One entry
 * {"at","break_glass"?,"child","role","route","user"} appended to the
 * access log (kind "access.read", or "access.break_glass") with a random
 * salt, exactly as a case event, in its own durable transaction.
 * Break-glass (allowed to auth_may_break_glass roles only, with a
 * non-empty reason) also appends an `access.break_glass` event
 * {child, user, reason} to the case ledger in the same transaction: the
 * notice the child's team manager sees.  Call it on the writer. */
int auth_access_record(app *a, const auth_user *u, const char *child, const char *route, const char *break_glass,
                       sl_err *err);
/* The same inside a batch the caller opened (app_batch_begin): the
 * server's group commit puts many requests' records in one transaction.
 * On an error before anything was appended the batch is unchanged. */
int auth_access_add(app *a, const auth_user *u, const char *child, const char *route, const char *break_glass,
                    sl_err *err);
/* Who looked at child's record, oldest first: {"seq","at","user","role",
 * "route","break_glass"?}.  The callback borrows the object. */
int auth_access_list(app *a, const char *child, app_json_cb cb, void *ctx, sl_err *err);

/* Tests only: make the clock auth reads (sessions, backoff) say `now`
 * (Unix seconds; 0: the real clock again), to step past timeouts. */
void auth_clock_set(app *a, int64_t now);

#endif
