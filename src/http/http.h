/*
 * http.h - what a route handler sees: the request, the response it fills,
 * and the route tables the server dispatches on.
 *
 * The server (server.c, on libmicrohttpd) owns connections, threads,
 * limits, authentication and the access log; a handler is a plain function
 * that reads an http_req and fills an http_resp, and never touches the
 * network.  Every route is a row of a table with the access it needs, so
 * the checks happen in one place (server.c) before any handler runs:
 *
 *   - auth: PUBLIC (no session), SESSION (a browser or API session
 *     cookie), SESSION_OR_BEARER (also a partner's bearer token);
 *   - roles: a bitmask of (1u << auth_role); a signed-in user whose role is
 *     not in it gets 403, logged;
 *   - HTTP_CHILD: the route reads one child's record, named by its first
 *     path parameter: the server asks auth_child_access, answers 403 (or,
 *     for a sealed record without a grant, 403 naming break-glass) and
 *     records the read in the access log before the handler runs.  A
 *     break-glass reason comes in the `X-Break-Glass-Reason` header (API)
 *     or a `break_glass` form field (pages).
 *
 * Threads: GET and HEAD handlers run on libmicrohttpd's few worker threads
 * (about two per core); every other request is suspended and run on the
 * server's write pool, whose threads may all wait on one group commit's
 * fsync (server.c, "the write pool").  r->a is the calling thread's own
 * connection (reads, sessions); anything that appends to a log (events,
 * alerts, access records) goes through the one writer - group commit
 * (http_write), or between http_writer_lock and http_writer_unlock -
 * because a ledger keeps its tree in memory and there is one writer per
 * database.
 *
 * Ownership: strings in http_req are the server's, valid during the call.
 * Everything put into an http_resp is the response's (http_resp_json
 * steals its JSON reference).
 */
#ifndef SL_HTTP_H
#define SL_HTTP_H

#include <jansson.h>

#include "util/buf.h"
#include "app/app.h"
#include "app/auth.h"

#define HTTP_MAX_PARAMS 4

typedef struct http_server http_server;

typedef struct http_req {
	const char *method;        /* "GET", "POST", ... */
	const char *path;          /* percent-decoded path, no query */
	const char *params[HTTP_MAX_PARAMS]; /* decoded {name} segments, in order */
	size_t n_params;
	const char *body;          /* NUL-terminated copy; NULL when empty */
	size_t body_len;
	const char *content_type;  /* media type without parameters, or "" */
	const char *client;        /* peer address */
	const auth_user *user;     /* NULL on PUBLIC routes with no session */
	const char *csrf;          /* the session's CSRF token, or NULL */
	bool tls;                  /* served over TLS (cookies get Secure) */
	app *a;                    /* this thread's connection */
	http_server *server;
	void *conn;                /* libmicrohttpd's connection (server.c) */
} http_req;

/* A query-string or form (application/x-www-form-urlencoded body) value,
 * decoded; NULL when absent.  Valid during the call. */
const char *http_query(const http_req *r, const char *name);
const char *http_form(const http_req *r, const char *name);
/* A request header, or NULL. */
const char *http_header(const http_req *r, const char *name);

/* The one writer (see above); the lock is held for one use case only. */
app *http_writer_lock(http_req *r);
void http_writer_unlock(http_req *r);

/*
 * Group commit (DESIGN 9): what a request appends is not a transaction of
 * its own.  fn runs on the writer inside a transaction that other
 * requests' writes may share, so it must not begin or commit one (it uses
 * app_batch_add, auth_access_add); http_write returns when the
 * transaction holding its writes is durable, or with fn's own error.  One
 * thread at a time leads: it takes every write queued so far, runs them in
 * one transaction with one fsync, and wakes their requests; while it
 * waits for the disk, the next group gathers.  A write refused before it
 * appended anything (validation, a blocked closure) leaves the group
 * intact; one that fails half-way makes the leader run the group again one
 * write per transaction, so each request gets only its own outcome.
 */
typedef int (*http_write_fn)(app *w, void *arg, sl_err *err);
int http_write(http_req *r, http_write_fn fn, void *arg, sl_err *err);
/* The two writes handlers make, through http_write: one event (as
 * app_append, live for the signed-in user), and the access-log records of
 * reading children's records (break_glass: the reason, or NULL). */
int http_append_event(http_req *r, const json_t *event, const app_write_opts *o, ledger_entry *out, sl_err *err);
int http_record_access(http_req *r, const char *const *children, size_t n, const char *route,
                       const char *break_glass, sl_err *err);

#define HTTP_MAX_HEADERS 8
typedef struct http_resp {
	int status;               /* 0 until set */
	const char *content_type; /* static string */
	buf body;
	struct {
		char *name, *value;
	} headers[HTTP_MAX_HEADERS];
	size_t n_headers;
	/* For the server's log only, never the client: what an internal error
	 * really was (http_problem_err fills it).  Owned. */
	char *log_detail;
} http_resp;

/* The one per-child read decision: may the user read each of these
 * children's records (auth_child_access; a sealed one only by break-glass,
 * with a reason in X-Break-Glass-Reason or the form's or query's
 * `break_glass`, checked and logged)?  0, with each read recorded in the
 * access log under `route`; else the refusal is already written to w (403
 * naming `what`, "this child's record"; 400 for an unusable reason).
 * HTTP_CHILD routes get it before their handler; a handler that finds its
 * children itself (an event's) calls it. */
int http_read_children(http_req *r, http_resp *w, const char *const *children, size_t n, const char *route,
                       const char *what);

/* Set the status and a JSON body (the reference is stolen). */
void http_resp_json(http_resp *w, int status, json_t *body);
/* An RFC 9457 application/problem+json answer: type "about:blank",
 * title from the status, detail and (when not NULL) the offending field as
 * the extension member "field".  Returns the status. */
int http_problem(http_resp *w, int status, const char *detail, const char *field);
/* Map an sl_err from the app layer onto a problem: EINVAL 400, or 422
 * with the field named when the message names one ("field `data.child`:
 * ...", what the vocabulary says of a well-formed event it refuses);
 * ENOTFOUND 404, EDENIED 403, ECONFLICT 409, anything else 500 with a
 * generic detail (the cause goes to the server's log through
 * w->log_detail, never to the client). */
int http_problem_err(http_resp *w, const sl_err *err);
/* Add a header (copied).  Names and values with CR or LF are refused
 * (returns SL_EINVAL) so that no input can split a response. */
int http_resp_header(http_resp *w, const char *name, const char *value);
void http_resp_free(http_resp *w);
/* "Not Found" for 404: RFC 9110 reason phrases (problem titles). */
const char *http_status_title(int status);

typedef int (*http_handler)(http_req *r, http_resp *w);

enum http_auth {
	HTTP_PUBLIC,
	HTTP_SESSION,
	HTTP_SESSION_OR_BEARER,
};
#define HTTP_ROLE(r) (1u << (r))
#define HTTP_ANY_ROLE 0xffffffffu
enum {
	HTTP_CHILD = 1,      /* reads the child named by params[0]: checked and logged */
	HTTP_WRITE = 2,      /* changes state: JSON body or a form with a valid CSRF token */
	/* An HTML page (src/web): a refusal is an HTML page, not problem+json,
	 * and a visitor with no valid session is sent (303) to /sign-in?next=
	 * instead of getting 401 (http_page_problem). */
	HTTP_PAGE = 4,
};

typedef struct http_route {
	const char *method;
	/* "/api/v1/children/{id}/chronology": {x} matches one non-empty
	 * segment; a last "{x*}" matches the rest of the path (one or more
	 * segments, handed over joined by '/'). */
	const char *pattern;
	enum http_auth auth;
	unsigned roles;
	unsigned flags;
	http_handler fn;
} http_route;

/* The route tables; the server tries them in this order. */
extern const http_route http_log_routes[];  /* transparency: /log/..., /access-log/... (log.c) */
extern const size_t http_log_routes_len;
extern const http_route http_api_routes[];  /* /api/v1/... (api.c) */
extern const size_t http_api_routes_len;
/* POST and DELETE /api/v1/session: signing in and out (session.c).  Tried
 * before the API table; an OpenAPI check should walk it too. */
extern const http_route http_session_routes[];
extern const size_t http_session_routes_len;
/* The web pages, /assets/... and the forms (src/web/pages.c); tried after
 * the session routes. */
extern const http_route http_page_routes[];
extern const size_t http_page_routes_len;
/* For an HTTP_PAGE route: turn the problem+json refusal in w (from the
 * server's checks or a handler) into what a browser should get: 401 a 303
 * to /sign-in with a safe `next`, a sealed record a break-glass form,
 * anything else an HTML error page with the same status (pages.c). */
void http_page_problem(http_req *r, http_resp *w);

#endif
