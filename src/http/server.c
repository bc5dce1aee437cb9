/*
 * server.c - the HTTP server on libmicrohttpd.  See server.h and http.h.
 *
 * One request, from the socket to the log line:
 *
 *   URI callback      the raw request target, before libmicrohttpd
 *                     unescapes anything: our request context starts here
 *   access handler    1st call: headers are in; a Content-Length over the
 *                     limit is answered 413 before any body is read
 *                     next calls: the body, counted against the limit
 *                     last call: dispatch (below), then the response
 *   completed         one JSON log line, metrics, free the context
 *
 * dispatch: parse the path (parse.c) -> find the route (log, session, API
 * tables in that order; 404, or 405 with Allow) -> authenticate (session
 * cookie, or a bearer token where the route takes one; 401) -> role (403,
 * logged) -> writes: JSON needs application/json (415) and a same-origin
 * Origin if any (403); forms need the session's CSRF token (403) -> child
 * routes: auth_child_access (403), break-glass for sealed records, and the
 * read recorded in the access log BEFORE the handler runs, so no read of a
 * child's record is ever served unlogged -> the handler.
 *
 * Threads: libmicrohttpd's pool runs handlers; each worker thread opens
 * its own app (its own SQLite connection) the first time it needs one.
 * Appends go through the one writer app under writer_mu (http.h).  The
 * housekeeping thread signs checkpoints when a log has grown (the tlog
 * tiles a client fetches must match a signed checkpoint) and shuts down
 * sockets whose request has not fully arrived within the timeout, which
 * libmicrohttpd's inactivity timeout alone does not catch (a slowloris
 * sender trickles a byte at a time and is never inactive).
 */
#include "util/common.h"
#include "http/server.h"
#include "http/parse.h"
#include "util/sha256.h"

#include <errno.h>
#include <fcntl.h>
#include <microhttpd.h>
#include <netdb.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <sodium.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#define SESSION_COOKIE "sl_session"

/* Status codes counted one by one in the metrics; the rest as "other". */
static const int counted_status[] = {200, 201, 204, 304, 400, 401, 403, 404, 405,
                                     408, 409, 413, 415, 422, 429, 500, 503};
#define N_STATUS (SL_ARRAY_LEN(counted_status) + 1)
/* Latency histogram bounds in microseconds (Prometheus buckets, seconds). */
static const uint64_t bucket_us[] = {500, 1000, 2500, 5000, 10000, 25000, 50000, 100000, 250000, 500000,
                                     1000000, 2500000, 5000000, 10000000};
#define N_BUCKETS (SL_ARRAY_LEN(bucket_us) + 1)
/* Handler-time buckets, per route: finer around DESIGN 9's 10 ms budget,
 * so a p99 read from them is within a millisecond or so of the truth. */
static const uint64_t handler_bucket_us[] = {100,   250,   500,   750,    1000,   1500,   2000,    3000,
                                             4000,  5000,  7500,  10000,  15000,  20000,  25000,   50000,
                                             75000, 100000, 250000, 500000, 1000000, 2500000, 10000000};
#define N_HANDLER_BUCKETS (SL_ARRAY_LEN(handler_bucket_us) + 1)

/* One route table the server dispatches on. */
typedef struct table {
	const http_route *routes;
	size_t n;
} table;

/* One connection, for the housekeeping thread's request deadline. */
typedef struct conn_rec {
	int fd;
	uint64_t waiting_since; /* monotonic µs: connection start or end of the last request */
	bool receiving;         /* a request is (or may be) arriving */
	struct conn_rec *prev, *next;
} conn_rec;

struct http_server {
	http_server_opts o;
	struct MHD_Daemon *d;
	int listen_fd;
	char *url;
	bool tls;
	char *cert_pem, *key_pem;
	FILE *log;

	app *writer;
	pthread_mutex_t writer_mu;
	/* group commit (http_write): the queue, and whether a leader runs */
	pthread_mutex_t gc_mu;
	struct write_job *gc_head, *gc_tail;
	bool gc_leader;
	uint64_t gc_groups, gc_writes; /* metrics */
	/* the write pool (see "the write pool" below): requests that may
	 * write, queued by libmicrohttpd's threads, run by these */
	pthread_t *wp;
	size_t n_wp;
	pthread_mutex_t wp_mu;
	pthread_cond_t wp_cv;
	struct req_ctx *wp_head, *wp_tail;
	bool wp_stop;
	pthread_key_t app_key;
	pthread_mutex_t apps_mu;
	app **apps;
	size_t n_apps, cap_apps;

	table tables[4];
	size_t n_routes; /* over all tables; metrics index = table offset + row */

	pthread_t house;
	pthread_mutex_t house_mu;
	pthread_cond_t house_cv;
	bool house_stop, house_started;
	conn_rec *conns;

	bool draining;
	long in_flight;

	/* metrics, updated with atomic adds */
	uint64_t *requests; /* [(n_routes + 1) * N_STATUS]; the last row: no route */
	uint64_t buckets[N_BUCKETS];
	uint64_t latency_sum_us, latency_count;
	/* server time per route (on_routed to send_response): [n_routes * N_HANDLER_BUCKETS] */
	uint64_t *handler_buckets;
	uint64_t *handler_sum_us, *handler_count; /* [n_routes] */
	uint64_t dropped_slow;
};

/* One write queued for group commit (http_write). */
typedef struct write_job {
	http_write_fn fn;
	void *arg;
	int rc;
	sl_err err;
	bool done;
	bool waiting;      /* its request waits in write_wait (on cv) */
	pthread_cond_t cv; /* signalled when done, or to lead the next group */
	struct write_job *next;
} write_job;

/* The access-log records of one read (http_record_access). */
struct access_job {
	const auth_user *user;
	const char *const *children;
	size_t n;
	const char *route, *reason;
};

/* The request context: http_req first, so a handler's http_req * leads
 * back to it (http_writer_lock). */
typedef struct req_ctx {
	http_req r;
	http_server *srv;
	struct MHD_Connection *conn;
	conn_rec *cr;
	uint64_t t0;
	uint64_t t_routed; /* monotonic µs when the route was found; 0: not routed */
	char *raw_uri;
	char method[16];
	char client[64]; /* the peer's address, numeric */
	/* QUEUED: suspended, in or taken from the write pool's queue; READY:
	 * answered by the pool, to be sent when libmicrohttpd resumes us */
	enum { ST_NEW, ST_BODY, ST_QUEUED, ST_READY, ST_DONE } state;
	http_resp out; /* the pool's answer (READY) */
	struct req_ctx *wp_next;
	buf body;
	bool too_large;
	http_path path;
	http_kvs query, form;
	buf ctype;
	const http_route *route;
	size_t route_index; /* n_routes: none */
	auth_user user;
	char *csrf;
	bool writer_locked;
	/* an API read's access record, queued before its handler runs and
	 * waited for before its answer is handed over (check_child) */
	bool defer_access, access_pending;
	write_job access_write;
	struct access_job access;
	const char *access_child;
	buf access_route;
	int status;
	size_t bytes;
	const char *deny; /* why a request was refused, for the log */
	char *log_detail;
} req_ctx;

static uint64_t now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

static void add(uint64_t *p, uint64_t v)
{
	__atomic_fetch_add(p, v, __ATOMIC_RELAXED);
}

static uint64_t load(const uint64_t *p)
{
	return __atomic_load_n(p, __ATOMIC_RELAXED);
}

/* ------------------------------------------------------------------ */
/* the log                                                            */
/* ------------------------------------------------------------------ */

/* One line, written with one stdio call so lines never interleave. */
static void log_json(http_server *s, json_t *line)
{
	char *text = json_dumps(line, JSON_COMPACT | JSON_ENSURE_ASCII);
	if (text) {
		fprintf(s->log, "%s\n", text);
		fflush(s->log);
		free(text);
	}
	json_decref(line);
}

static json_t *log_line(const char *event)
{
	char t[LEDGER_TIME_LEN];
	json_t *o = json_object();

	ledger_now(t);
	json_object_set_new(o, "time", json_string(t));
	json_object_set_new(o, "event", json_string(event));
	return o;
}

static void log_message(http_server *s, const char *event, const char *msg)
{
	json_t *o = log_line(event);
	json_t *m = json_string(msg);
	json_object_set_new(o, "message", m ? m : json_string("(not UTF-8)"));
	log_json(s, o);
}

static void mhd_logger(void *cls, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));
static void mhd_logger(void *cls, const char *fmt, va_list ap)
{
	buf b = BUF_INIT;
	buf_vprintf(&b, fmt, ap);
	while (b.len && b.data[b.len - 1] == '\n')
		buf_truncate(&b, b.len - 1);
	log_message(cls, "libmicrohttpd", buf_str(&b));
	buf_release(&b);
}

/* ------------------------------------------------------------------ */
/* per-thread apps and the writer                                      */
/* ------------------------------------------------------------------ */

/* A worker thread ends (the server stops): its app is closed with the
 * server, but what libcrypto keeps per thread must go with the thread. */
static void thread_end(void *a)
{
	(void)a;
	sha256_thread_release();
}

static app *thread_app(http_server *s, sl_err *err)
{
	app *a = pthread_getspecific(s->app_key);
	app_options o = s->o.app;

	if (a)
		return a;
	o.small_cache = true; /* many threads read; only the writer keeps a big cache */
	if (app_open(&o, &a, err))
		return NULL;
	pthread_mutex_lock(&s->apps_mu);
	if (s->n_apps == s->cap_apps) {
		s->cap_apps = s->cap_apps ? s->cap_apps * 2 : 8;
		s->apps = xrealloc(s->apps, s->cap_apps * sizeof(*s->apps));
	}
	s->apps[s->n_apps++] = a;
	pthread_mutex_unlock(&s->apps_mu);
	pthread_setspecific(s->app_key, a);
	return a;
}

app *http_writer_lock(http_req *r)
{
	req_ctx *c = (req_ctx *)r;
	assert(!c->writer_locked);
	pthread_mutex_lock(&c->srv->writer_mu);
	c->writer_locked = true;
	return c->srv->writer;
}

void http_writer_unlock(http_req *r)
{
	req_ctx *c = (req_ctx *)r;
	assert(c->writer_locked);
	c->writer_locked = false;
	pthread_mutex_unlock(&c->srv->writer_mu);
}

/* ------------------------------------------------------------------ */
/* group commit (http.h)                                               */

static uint64_t log_sizes(app *w)
{
	return ledger_size(app_ledger(w)) + ledger_size(app_access_ledger(w));
}

/* Run one group on the writer: in one transaction while every write
 * either succeeds or is refused before appending anything; otherwise each
 * write again in a transaction of its own. */
static void run_group(http_server *s, write_job *jobs)
{
	app *w = s->writer;
	write_job *j;
	bool partial = false;
	sl_err err = {0};
	int rc;

	pthread_mutex_lock(&s->writer_mu);
	if ((rc = app_batch_begin(w, &err))) {
		for (j = jobs; j; j = j->next) {
			j->rc = rc;
			j->err = err;
		}
		goto done;
	}
	for (j = jobs; j && !partial; j = j->next) {
		uint64_t before = log_sizes(w);
		j->rc = j->fn(w, j->arg, &j->err);
		partial = j->rc && log_sizes(w) != before;
	}
	if (partial) {
		app_batch_abort(w);
		for (j = jobs; j; j = j->next) {
			memset(&j->err, 0, sizeof(j->err));
			if ((j->rc = app_batch_begin(w, &j->err)))
				continue;
			if ((j->rc = j->fn(w, j->arg, &j->err)))
				app_batch_abort(w);
			else
				j->rc = app_batch_commit(w, false, &j->err);
		}
	} else if ((rc = app_batch_commit(w, false, &err))) {
		/* nothing of the group is durable: no write is acknowledged */
		for (j = jobs; j; j = j->next)
			if (!j->rc) {
				j->rc = rc;
				j->err = err;
			}
	}
done:
	pthread_mutex_unlock(&s->writer_mu);
}

/* Queue a write for the next group; write_wait leads or waits for it. */
static void write_queue(http_server *s, write_job *job)
{
	pthread_cond_init(&job->cv, NULL);
	pthread_mutex_lock(&s->gc_mu);
	if (s->gc_tail)
		s->gc_tail->next = job;
	else
		s->gc_head = job;
	s->gc_tail = job;
	pthread_mutex_unlock(&s->gc_mu);
}

/* Until the group holding job is durable (or refused): lead a group when
 * no one leads, else wait to be told.  Each job has its own condition
 * variable: a broadcast to every waiter woke up to 64 threads per group to
 * fight over gc_mu (a third of an append's CPU went to futex waits and
 * task switches), where only the group's requests and the next leader
 * need waking. */
static void write_wait(http_server *s, write_job *job)
{
	pthread_mutex_lock(&s->gc_mu);
	while (!job->done) {
		if (s->gc_leader) {
			job->waiting = true;
			pthread_cond_wait(&job->cv, &s->gc_mu);
			job->waiting = false;
			continue;
		}
		/* lead: take everything queued (our own write included) */
		write_job *group = s->gc_head, *j, *next;
		size_t n = 0;
		s->gc_head = s->gc_tail = NULL;
		s->gc_leader = true;
		pthread_mutex_unlock(&s->gc_mu);
		run_group(s, group);
		pthread_mutex_lock(&s->gc_mu);
		for (j = group; j; j = next, n++) {
			next = j->next; /* a finished job's request may return at once */
			j->done = true;
			if (j->waiting)
				pthread_cond_signal(&j->cv);
		}
		s->gc_groups++;
		s->gc_writes += n;
		s->gc_leader = false;
		/* the next leader: the first queued write whose request waits (one
		 * still in its handler, check_child's, leads when it comes) */
		for (j = s->gc_head; j && !j->waiting; j = j->next)
			;
		if (j)
			pthread_cond_signal(&j->cv);
	}
	pthread_mutex_unlock(&s->gc_mu);
	pthread_cond_destroy(&job->cv);
}

int http_write(http_req *r, http_write_fn fn, void *arg, sl_err *err)
{
	req_ctx *c = (req_ctx *)r;
	write_job job = {.fn = fn, .arg = arg};

	write_queue(c->srv, &job);
	write_wait(c->srv, &job);
	if (job.rc && err)
		*err = job.err;
	return job.rc;
}

struct event_job {
	const json_t *event;
	const app_write_opts *o;
	ledger_entry *out;
};

static int event_job(app *w, void *arg, sl_err *err)
{
	struct event_job *j = arg;
	return app_batch_add(w, j->event, j->o, j->out, err);
}

int http_append_event(http_req *r, const json_t *event, const app_write_opts *o, ledger_entry *out, sl_err *err)
{
	struct event_job j = {event, o, out};
	return http_write(r, event_job, &j, err);
}

static int access_job(app *w, void *arg, sl_err *err)
{
	struct access_job *j = arg;
	size_t i;
	int rc = 0;

	for (i = 0; i < j->n && !rc; i++)
		rc = auth_access_add(w, j->user, j->children[i], j->route, j->reason, err);
	return rc;
}

int http_record_access(http_req *r, const char *const *children, size_t n, const char *route,
                       const char *break_glass, sl_err *err)
{
	struct access_job j = {r->user, children, n, route, break_glass};
	if (!r->user)
		return sl_fail(err, SL_EINVAL, "no user to record");
	return http_write(r, access_job, &j, err);
}

/* ------------------------------------------------------------------ */
/* what handlers read                                                  */
/* ------------------------------------------------------------------ */

void http_req_set_user(http_req *r, const auth_user *u)
{
	req_ctx *c = (req_ctx *)r;
	c->user = *u;
	c->r.user = &c->user;
}

const char *http_query(const http_req *r, const char *name)
{
	return http_kvs_get(&((const req_ctx *)r)->query, name);
}

const char *http_form(const http_req *r, const char *name)
{
	return http_kvs_get(&((const req_ctx *)r)->form, name);
}

const char *http_header(const http_req *r, const char *name)
{
	const req_ctx *c = (const req_ctx *)r;
	return MHD_lookup_connection_value(c->conn, MHD_HEADER_KIND, name);
}

/* ------------------------------------------------------------------ */
/* checks before the handler                                           */
/* ------------------------------------------------------------------ */

static int deny(req_ctx *c, http_resp *w, int status, const char *why, const char *detail)
{
	c->deny = why;
	return http_problem(w, status, detail, NULL);
}

/* Find the route: 0 with c->route set, or the status of the answer
 * already written (404, 405). */
static int find_route(req_ctx *c, http_resp *w)
{
	http_server *s = c->srv;
	const char *method = strcmp(c->method, "HEAD") == 0 ? "GET" : c->method;
	buf allow = BUF_INIT;
	size_t t, i, base = 0;
	bool path_known = false;
	int rc;

	for (t = 0; t < SL_ARRAY_LEN(s->tables); t++) {
		for (i = 0; i < s->tables[t].n; i++) {
			const http_route *rt = &s->tables[t].routes[i];
			const char *params[HTTP_MAX_PATTERN_PARAMS];
			size_t n;

			if (!http_pattern_match(rt->pattern, &c->path, params, &n))
				continue;
			if (strcmp(rt->method, method) == 0) {
				c->route = rt;
				c->route_index = base + i;
				memcpy(c->r.params, params, n * sizeof(*params));
				c->r.n_params = n;
				buf_release(&allow);
				return 0;
			}
			if (!path_known || !strstr(buf_str(&allow), rt->method)) {
				buf_printf(&allow, "%s%s", allow.len ? ", " : "", rt->method);
				if (strcmp(rt->method, "GET") == 0)
					buf_puts(&allow, ", HEAD");
			}
			path_known = true;
		}
		base += s->tables[t].n;
	}
	if (path_known) {
		rc = http_problem(w, 405, "this resource does not take that method", NULL);
		http_resp_header(w, "Allow", buf_str(&allow));
	} else {
		rc = http_problem(w, 404, "no such resource", NULL);
	}
	buf_release(&allow);
	return rc;
}

/* The session behind the cookie, if any: true when it is valid. */
static bool session_user(req_ctx *c, app *a, const char *token)
{
	const auth_session_opts *so = NULL;
	sl_err err = {0};

	if (c->srv->o.session.idle_seconds || c->srv->o.session.absolute_seconds)
		so = &c->srv->o.session;
	if (auth_session(a, token, so, &c->user, &c->csrf, &err) != 0)
		return false;
	c->r.user = &c->user;
	c->r.csrf = c->csrf;
	return true;
}

/* Authenticate: 0, or the status of the refusal written.  PUBLIC routes
 * take a valid session when one comes (a page may greet its user) and
 * ignore anything else; the others need one. */
static int authenticate(req_ctx *c, http_resp *w, app *a)
{
	const char *authz = http_header(&c->r, "Authorization");
	char *token = NULL;
	sl_err err = {0};
	int rc = 0;

	if (http_cookie_get(http_header(&c->r, "Cookie"), SESSION_COOKIE, &token, &err)) {
		rc = deny(c, w, 400, "bad cookie header", err.msg);
		goto done;
	}
	if (c->route->auth == HTTP_PUBLIC) {
		if (token)
			session_user(c, a, token);
		goto done;
	}
	if (authz) {
		free(token);
		token = NULL;
		if (http_bearer_parse(authz, &token, &err)) {
			rc = deny(c, w, 401, "bad credentials", err.msg);
		} else if (auth_bearer(a, token, &c->user, &err)) {
			rc = deny(c, w, 401, "unknown bearer token", "the bearer token is not valid");
		} else {
			c->r.user = &c->user;
			/* a valid token where only sessions go: a partner asking
			 * for what partners may not have */
			if (c->route->auth == HTTP_SESSION)
				rc = deny(c, w, 403, "bearer token on a session route",
				          "this resource is not open to partner tokens");
		}
		if (rc == 401 && c->route->auth == HTTP_SESSION_OR_BEARER)
			http_resp_header(w, "WWW-Authenticate", "Bearer realm=\"safeledger\", error=\"invalid_token\"");
		goto done;
	}
	if (token && !session_user(c, a, token)) {
		rc = deny(c, w, 401, "session not valid", "the session has expired or is not valid; sign in again");
		http_resp_header(w, "Set-Cookie", SESSION_COOKIE "=; Max-Age=0; Path=/; HttpOnly; SameSite=Strict");
		goto done;
	}
	if (!token) {
		rc = deny(c, w, 401, "not signed in", "sign in first (POST /api/v1/session)");
		if (c->route->auth == HTTP_SESSION_OR_BEARER)
			http_resp_header(w, "WWW-Authenticate", "Bearer realm=\"safeledger\"");
	}
done:
	if (token)
		sodium_memzero(token, strlen(token));
	free(token);
	return rc;
}

/* Writes: the media type, the origin and, for forms, the CSRF token. */
static int check_write(req_ctx *c, http_resp *w)
{
	const char *origin = http_header(&c->r, "Origin");
	const char *ctype = buf_str(&c->ctype);

	if (origin && !http_origin_same(origin, http_header(&c->r, "Host"), c->srv->tls))
		return deny(c, w, 403, "cross-origin write", "writes from another origin are refused");
	if (strcmp(ctype, "application/x-www-form-urlencoded") == 0) {
		const char *token = http_form(&c->r, "csrf");
		if (!c->csrf || !token || strlen(token) != strlen(c->csrf) ||
		    sodium_memcmp(token, c->csrf, strlen(token)) != 0)
			return deny(c, w, 403, "csrf", "the form's CSRF token is missing or wrong; reload the page");
		return 0;
	}
	if (c->r.body_len > 0 && strcmp(ctype, "application/json") != 0)
		return deny(c, w, 415, "media type", "send the request body as application/json");
	return 0;
}

/* A child's record: may this user read it, and the read in the access log. */
/* The break-glass reason a request gives: the X-Break-Glass-Reason header,
 * else the page forms' `break_glass` field or query parameter. */
static const char *break_glass_reason(const http_req *r)
{
	const char *reason = http_header(r, "X-Break-Glass-Reason");
	if (!reason)
		reason = http_form(r, "break_glass");
	if (!reason)
		reason = http_query(r, "break_glass");
	return reason;
}

int http_read_children(http_req *r, http_resp *w, const char *const *children, size_t n, const char *route,
                       const char *what)
{
	/* every http_req a handler sees is the one inside its req_ctx */
	req_ctx *c = (req_ctx *)(void *)((char *)r - offsetof(req_ctx, r));
	const char *reason = break_glass_reason(r);
	auth_decision *d = xcalloc(n ? n : 1, sizeof(*d));
	buf msg = BUF_INIT;
	sl_err err = {0};
	size_t i;
	int rc = 0;

	if (!r->user) { /* a route table bug: refuse rather than serve unlogged */
		rc = deny(c, w, 403, "child read without a user", "this resource needs a signed-in user");
		goto done;
	}
	for (i = 0; i < n; i++) {
		if ((rc = auth_child_access(r->a, r->user, children[i], &d[i], &err))) {
			rc = http_problem_err(w, &err);
			goto done;
		}
		if (d[i] == AUTH_DENY) {
			buf_printf(&msg, "you may not read %s", what);
			rc = deny(c, w, 403, "child not allowed", msg.data);
			goto done;
		}
		if (d[i] == AUTH_SEALED && !reason) {
			buf_printf(&msg, "%s is sealed: give a reason in X-Break-Glass-Reason (break-glass) to open it; "
			                 "the reason is logged and the team manager told", what);
			rc = deny(c, w, 403, "sealed record", msg.data);
			goto done;
		}
		if (d[i] == AUTH_SEALED && http_reason_check(reason, &err)) {
			c->deny = "bad break-glass reason";
			rc = http_problem(w, 400, err.msg, "X-Break-Glass-Reason");
			goto done;
		}
	}
	/* one access-log record per child: only a sealed one's read is a
	 * break-glass read carrying the reason */
	if (c->defer_access && n == 1) {
		c->access = (struct access_job){r->user, &c->access_child, 1, buf_str(&c->access_route),
		                                d[0] == AUTH_SEALED ? reason : NULL};
		c->access_child = children[0];
		c->access_write = (write_job){.fn = access_job, .arg = &c->access};
		write_queue(c->srv, &c->access_write);
		c->access_pending = true;
		goto done;
	}
	for (i = 0; i < n && !rc; i++)
		rc = http_record_access(r, &children[i], 1, route, d[i] == AUTH_SEALED ? reason : NULL, &err);
	if (rc)
		rc = http_problem_err(w, &err);
done:
	buf_release(&msg);
	free(d);
	return rc;
}

/* HTTP_CHILD routes: the child in the path, checked, and its read
 * recorded in the access log before the answer leaves.
 *
 * For the API's reads (not a write, not a page) the access record is
 * queued for group commit before the handler runs, and the handler's
 * query runs while the group's transaction is written and synced;
 * finish_access waits for it before the answer is handed over, and a
 * record that failed replaces the answer with its error.  So no read is
 * ever served unlogged, and the fsync no longer adds to the query's time.
 * Pages are not deferred: a reviewer's proof covers this very read, so
 * its record must be durable before the handler signs a checkpoint; and
 * writes keep the record strictly first. */
static int check_child(req_ctx *c, http_resp *w)
{
	const char *child = c->r.params[0];
	int rc;

	if (c->r.n_params == 0) /* a route table bug */
		return deny(c, w, 403, "child route without a child", "this resource needs a signed-in user");
	buf_printf(&c->access_route, "%s %s", c->route->method, c->route->pattern);
	c->defer_access = !(c->route->flags & (HTTP_WRITE | HTTP_PAGE));
	rc = http_read_children(&c->r, w, &child, 1, buf_str(&c->access_route), "this child's record");
	c->defer_access = false;
	return rc;
}

/* The deferred access record (check_child): wait until it is durable; if
 * it failed, the handler's answer is thrown away for the error. */
static void finish_access(req_ctx *c, http_resp *w)
{
	if (!c->access_pending)
		return;
	write_wait(c->srv, &c->access_write);
	c->access_pending = false;
	if (c->access_write.rc) {
		http_resp_free(w);
		memset(w, 0, sizeof(*w));
		http_problem_err(w, &c->access_write.err);
	}
}

/* The peer's numeric address, known from the first byte of a request. */
static void set_client(req_ctx *c)
{
	const union MHD_ConnectionInfo *ci = MHD_get_connection_info(c->conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	char *addr = c->client;

	addr[0] = '\0';
	if (ci && ci->client_addr) {
		const struct sockaddr *sa = ci->client_addr;
		socklen_t len = sa->sa_family == AF_INET6 ? sizeof(struct sockaddr_in6) : sizeof(struct sockaddr_in);
		if (getnameinfo(sa, len, addr, sizeof(c->client), NULL, 0, NI_NUMERICHOST) != 0)
			addr[0] = '\0';
	}
	c->r.client = addr;
}

static void set_request(req_ctx *c)
{
	c->r.method = c->method;
	c->r.path = c->path.decoded;
	c->r.body = c->body.len ? c->body.data : NULL;
	c->r.body_len = c->body.len;
	c->r.content_type = buf_str(&c->ctype);
	c->r.tls = c->srv->tls;
	c->r.server = c->srv;
	c->r.conn = c->conn;
}

static int dispatch(req_ctx *c, http_resp *w)
{
	const char *q = strchr(c->raw_uri, '?');
	size_t plen = q ? (size_t)(q - c->raw_uri) : strlen(c->raw_uri);
	sl_err err = {0};
	app *a;
	int rc;

	if (http_path_parse(c->raw_uri, plen, &c->path, &err))
		return deny(c, w, 400, "bad path", err.msg);
	if ((rc = find_route(c, w)))
		return rc;
	c->t_routed = now_us();
	if (q && http_kvs_parse(q + 1, strlen(q + 1), "query", &c->query, &err))
		return deny(c, w, 400, "bad query", err.msg);
	http_media_type(MHD_lookup_connection_value(c->conn, MHD_HEADER_KIND, "Content-Type"), &c->ctype);
	set_request(c);
	if (strcmp(buf_str(&c->ctype), "application/x-www-form-urlencoded") == 0 && c->body.len &&
	    http_kvs_parse(c->body.data, c->body.len, "form", &c->form, &err))
		return deny(c, w, 400, "bad form", err.msg);
	if (!(a = thread_app(c->srv, &err))) {
		w->log_detail = xstrdup(err.msg);
		return http_problem(w, 503, "the database is not available", NULL);
	}
	c->r.a = a;
	if ((rc = authenticate(c, w, a)))
		return rc;
	if (c->r.user && c->route->roles != HTTP_ANY_ROLE && !(c->route->roles & HTTP_ROLE(c->user.role)))
		return deny(c, w, 403, "role", "your role may not use this resource");
	if ((c->route->flags & HTTP_WRITE) && (rc = check_write(c, w)))
		return rc;
	if ((c->route->flags & HTTP_CHILD) && (rc = check_child(c, w)))
		return rc;
	c->route->fn(&c->r, w);
	if (c->writer_locked) {
		/* a handler bug; keep the server usable and say so */
		http_writer_unlock(&c->r);
		log_message(c->srv, "bug", "a handler returned holding the writer lock");
	}
	finish_access(c, w); /* after the unlock: its group needs the writer */
	if (w->status < 100 || w->status > 599) {
		w->log_detail = xstrdup("the handler set no status");
		return http_problem(w, 500, "the server could not complete the request; it has been logged", NULL);
	}
	return w->status;
}

/* ------------------------------------------------------------------ */
/* libmicrohttpd callbacks                                             */
/* ------------------------------------------------------------------ */

static const char *const security_headers[][2] = {
	{"Content-Security-Policy", "default-src 'self'; frame-ancestors 'none'"},
	{"X-Content-Type-Options", "nosniff"},
	/* same-origin, not no-referrer: under no-referrer browsers send
	 * "Origin: null" with a form post, which the same-origin check must
	 * refuse, so no page form could be sent.  Nothing leaves the site. */
	{"Referrer-Policy", "same-origin"},
	{"X-Frame-Options", "DENY"},
};

/* Server time as DESIGN 9 means it: from the route being found to the
 * response being handed to libmicrohttpd, so it holds the checks, the
 * access-log write with its group's fsync and the handler, and not the
 * time a request waits for a thread, arrives or is sent. */
static void handler_time(req_ctx *c, uint64_t us)
{
	http_server *s = c->srv;
	size_t b;

	for (b = 0; b < N_HANDLER_BUCKETS - 1 && us > handler_bucket_us[b]; b++)
		;
	add(&s->handler_buckets[c->route_index * N_HANDLER_BUCKETS + b], 1);
	add(&s->handler_sum_us[c->route_index], us);
	add(&s->handler_count[c->route_index], 1);
}

static enum MHD_Result send_response(req_ctx *c, http_resp *w)
{
	struct MHD_Response *resp;
	enum MHD_Result ret;
	bool cache_set = false;
	size_t i, len = w->body.len;

	resp = len ? MHD_create_response_from_buffer(len, buf_detach(&w->body), MHD_RESPMEM_MUST_FREE)
	           : MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
	if (!resp) {
		http_resp_free(w);
		return MHD_NO;
	}
	if (w->content_type)
		MHD_add_response_header(resp, "Content-Type", w->content_type);
	for (i = 0; i < w->n_headers; i++) {
		MHD_add_response_header(resp, w->headers[i].name, w->headers[i].value);
		if (strcasecmp(w->headers[i].name, "Cache-Control") == 0)
			cache_set = true;
	}
	for (i = 0; i < SL_ARRAY_LEN(security_headers); i++)
		MHD_add_response_header(resp, security_headers[i][0], security_headers[i][1]);
	if (!cache_set)
		MHD_add_response_header(resp, "Cache-Control", "no-store");
	if (c->srv->tls)
		MHD_add_response_header(resp, "Strict-Transport-Security", "max-age=31536000");
	if (__atomic_load_n(&c->srv->draining, __ATOMIC_RELAXED))
		MHD_add_response_header(resp, "Connection", "close");
	c->status = w->status;
	c->bytes = len;
	if (c->t_routed)
		handler_time(c, now_us() - c->t_routed);
	if (w->log_detail) {
		c->log_detail = w->log_detail;
		w->log_detail = NULL;
	}
	ret = MHD_queue_response(c->conn, (unsigned)w->status, resp);
	MHD_destroy_response(resp);
	http_resp_free(w);
	c->state = ST_DONE;
	return ret;
}

/* Dispatch, and pages answer refusals in HTML (http_page_problem). */
static void answer(req_ctx *c, http_resp *w)
{
	dispatch(c, w);
	if (c->route && (c->route->flags & HTTP_PAGE) && w->content_type &&
	    strcmp(w->content_type, "application/problem+json") == 0)
		http_page_problem(&c->r, w);
}

/* ------------------------------------------------------------------ */
/* the write pool                                                      */
/*
 * A request that writes spends most of its time waiting for its group's
 * fsync (http_write).  On libmicrohttpd's threads that wait would hold a
 * thread, and with it every other connection that thread polls; and since a
 * group is what is queued while the previous one syncs, the group could
 * never be larger than the number of threads.  So requests with a method
 * that may write (not GET or HEAD) are suspended (MHD_suspend_connection)
 * and run by a pool of threads that may block: as many writes can wait for
 * one fsync as there are pool threads, while libmicrohttpd's few threads
 * (about two per core) keep serving reads at full speed.  The pool's
 * answer is kept in the request and sent when libmicrohttpd resumes the
 * connection.  Reads stay on libmicrohttpd's threads: their access record
 * overlaps the query (check_child), and a read's time is mostly CPU.
 */

static bool may_write(const char *method)
{
	return strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0;
}

static void pool_push(http_server *s, req_ctx *c)
{
	pthread_mutex_lock(&s->wp_mu);
	c->wp_next = NULL;
	if (s->wp_tail)
		s->wp_tail->wp_next = c;
	else
		s->wp_head = c;
	s->wp_tail = c;
	pthread_cond_signal(&s->wp_cv);
	pthread_mutex_unlock(&s->wp_mu);
}

/* Until stopped and the queue is empty: every request queued is answered,
 * so no connection is left suspended when the daemon stops. */
static void *pool_thread(void *arg)
{
	http_server *s = arg;
	req_ctx *c;

	pthread_mutex_lock(&s->wp_mu);
	for (;;) {
		while (!s->wp_head && !s->wp_stop)
			pthread_cond_wait(&s->wp_cv, &s->wp_mu);
		if (!s->wp_head)
			break;
		c = s->wp_head;
		s->wp_head = c->wp_next;
		if (!s->wp_head)
			s->wp_tail = NULL;
		pthread_mutex_unlock(&s->wp_mu);
		answer(c, &c->out);
		c->state = ST_READY;
		MHD_resume_connection(c->conn);
		pthread_mutex_lock(&s->wp_mu);
	}
	pthread_mutex_unlock(&s->wp_mu);
	return NULL;
}

static void pool_stop(http_server *s)
{
	size_t i;

	pthread_mutex_lock(&s->wp_mu);
	s->wp_stop = true;
	pthread_cond_broadcast(&s->wp_cv);
	pthread_mutex_unlock(&s->wp_mu);
	for (i = 0; i < s->n_wp; i++)
		pthread_join(s->wp[i], NULL);
	s->n_wp = 0;
}

static int pool_start(http_server *s, size_t n, sl_err *err)
{
	s->wp = xcalloc(n, sizeof(*s->wp));
	for (s->n_wp = 0; s->n_wp < n; s->n_wp++)
		if (pthread_create(&s->wp[s->n_wp], NULL, pool_thread, s) != 0)
			return sl_fail(err, SL_EIO, "cannot start a thread: %s", strerror(errno));
	return 0;
}

static void *on_uri(void *cls, const char *uri, struct MHD_Connection *conn)
{
	http_server *s = cls;
	req_ctx *c = xcalloc(1, sizeof(*c));
	const union MHD_ConnectionInfo *ci = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_SOCKET_CONTEXT);

	c->srv = s;
	c->conn = conn;
	c->t0 = now_us();
	c->raw_uri = xstrdup(uri);
	c->route_index = s->n_routes;
	c->cr = ci ? ci->socket_context : NULL;
	set_client(c);
	__atomic_fetch_add(&s->in_flight, 1, __ATOMIC_RELAXED);
	return c;
}

/* Header values with a control character (a bare CR libmicrohttpd let
 * through, an escape decoded somewhere upstream) are refused outright: no
 * handler should have to wonder whether a header can split a line. */
static enum MHD_Result header_clean(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
	bool *clean = cls;
	const char *p;

	(void)kind;
	for (p = key; p && *p; p++)
		if ((unsigned char)*p <= 0x20 || *p == 0x7f)
			*clean = false;
	for (p = value; p && *p; p++)
		if (((unsigned char)*p < 0x20 && *p != '\t') || *p == 0x7f)
			*clean = false;
	return *clean ? MHD_YES : MHD_NO;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url, const char *method,
                                  const char *version, const char *upload_data, size_t *upload_data_size,
                                  void **con_cls)
{
	http_server *s = cls;
	req_ctx *c = *con_cls;
	http_resp w = {0};

	(void)url;
	(void)version;
	if (!c)
		return MHD_NO; /* no URI callback: cannot happen, refuse rather than guess */
	if (c->state == ST_NEW) {
		const char *cl = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Content-Length");
		uint64_t n = 0;

		bool clean = true;

		c->state = ST_BODY;
		snprintf(c->method, sizeof(c->method), "%s", method);
		MHD_get_connection_values(conn, MHD_HEADER_KIND, header_clean, &clean);
		if (!clean) {
			c->deny = "control character in a header";
			http_problem(&w, 400, "a request header holds a control character", NULL);
			return send_response(c, &w);
		}
		if (cl) {
			char *end;
			errno = 0;
			n = strtoull(cl, &end, 10);
			if (errno || *end || cl[0] < '0' || cl[0] > '9')
				n = UINT64_MAX;
		}
		if (n > s->o.max_body) {
			/* answered before the body is read; libmicrohttpd then
			 * closes the connection instead of reading it */
			c->deny = "body too large";
			http_problem(&w, 413, "the request body is larger than the server accepts", NULL);
			return send_response(c, &w);
		}
		return MHD_YES;
	}
	if (c->state == ST_DONE) {
		*upload_data_size = 0; /* the rest of a body we already refused */
		return MHD_YES;
	}
	if (c->state == ST_READY)
		return send_response(c, &c->out);
	if (c->state == ST_QUEUED)
		return MHD_YES; /* cannot be: suspended connections are not called */
	if (*upload_data_size) {
		if (!c->too_large && c->body.len + *upload_data_size > s->o.max_body) {
			c->too_large = true;
			buf_release(&c->body);
		}
		if (!c->too_large)
			buf_append(&c->body, upload_data, *upload_data_size);
		*upload_data_size = 0;
		return MHD_YES;
	}
	if (c->cr)
		__atomic_store_n(&c->cr->receiving, false, __ATOMIC_RELAXED);
	if (c->too_large) {
		c->deny = "body too large";
		http_problem(&w, 413, "the request body is larger than the server accepts", NULL);
	} else if (s->n_wp && may_write(c->method)) {
		c->state = ST_QUEUED;
		MHD_suspend_connection(conn);
		pool_push(s, c);
		return MHD_YES;
	} else {
		answer(c, &w);
	}
	return send_response(c, &w);
}

static size_t status_slot(int status)
{
	size_t i;
	for (i = 0; i < SL_ARRAY_LEN(counted_status); i++)
		if (counted_status[i] == status)
			return i;
	return N_STATUS - 1;
}

static void log_request(req_ctx *c, enum MHD_RequestTerminationCode toe, uint64_t dur)
{
	json_t *o = log_line("request");
	json_t *path = NULL;

	if (c->path.decoded) {
		path = json_string(c->path.decoded);
	} else if (c->raw_uri) {
		/* not parsed (refused, or never complete): the target as sent,
		 * without the query, when it is printable at all */
		size_t n = strcspn(c->raw_uri, "?");
		path = json_stringn(c->raw_uri, n < 256 ? n : 256);
	}

	json_object_set_new(o, "method", json_string(c->method[0] ? c->method : "-"));
	json_object_set_new(o, "path", path ? path : json_string("-"));
	json_object_set_new(o, "route", json_string(c->route ? c->route->pattern : "-"));
	json_object_set_new(o, "status", json_integer(c->status));
	json_object_set_new(o, "bytes", json_integer((json_int_t)c->bytes));
	json_object_set_new(o, "us", json_integer((json_int_t)dur));
	json_object_set_new(o, "user", json_string(c->r.user ? c->r.user->login : "-"));
	json_object_set_new(o, "client", json_string(c->r.client ? c->r.client : "-"));
	if (c->deny)
		json_object_set_new(o, "refused", json_string(c->deny));
	if (c->log_detail) {
		json_t *d = json_string(c->log_detail);
		json_object_set_new(o, "error", d ? d : json_string("(not UTF-8)"));
	}
	if (c->cr && __atomic_load_n(&c->cr->fd, __ATOMIC_RELAXED) < 0)
		json_object_set_new(o, "end", json_string("dropped: the request took longer than the timeout"));
	else if (toe == MHD_REQUEST_TERMINATED_TIMEOUT_REACHED)
		json_object_set_new(o, "end", json_string("timeout"));
	else if (toe == MHD_REQUEST_TERMINATED_CLIENT_ABORT || toe == MHD_REQUEST_TERMINATED_READ_ERROR)
		json_object_set_new(o, "end", json_string("client went away"));
	else if (toe == MHD_REQUEST_TERMINATED_DAEMON_SHUTDOWN)
		json_object_set_new(o, "end", json_string("shutdown"));
	else if (toe != MHD_REQUEST_TERMINATED_COMPLETED_OK)
		json_object_set_new(o, "end", json_string("error"));
	log_json(c->srv, o);
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
	http_server *s = cls;
	req_ctx *c = *con_cls;
	uint64_t dur;
	size_t b;

	(void)conn;
	if (!c)
		return;
	dur = now_us() - c->t0;
	if (c->cr) {
		__atomic_store_n(&c->cr->waiting_since, now_us(), __ATOMIC_RELAXED);
		__atomic_store_n(&c->cr->receiving, true, __ATOMIC_RELAXED);
	}
	log_request(c, toe, dur);
	add(&s->requests[c->route_index * N_STATUS + status_slot(c->status)], 1);
	for (b = 0; b < N_BUCKETS - 1 && dur > bucket_us[b]; b++)
		;
	add(&s->buckets[b], 1);
	add(&s->latency_sum_us, dur);
	add(&s->latency_count, 1);
	if (c->writer_locked)
		http_writer_unlock(&c->r);
	http_resp_free(&c->out); /* answered by the pool, never sent */
	http_path_free(&c->path);
	http_kvs_free(&c->query);
	http_kvs_free(&c->form);
	if (c->body.data) /* it may hold a password */
		sodium_memzero(c->body.data, c->body.len);
	buf_release(&c->body);
	buf_release(&c->ctype);
	buf_release(&c->access_route);
	if (c->csrf)
		sodium_memzero(c->csrf, strlen(c->csrf));
	free(c->csrf);
	free(c->log_detail);
	free(c->raw_uri);
	sodium_memzero(&c->user, sizeof(c->user));
	free(c);
	*con_cls = NULL;
	__atomic_fetch_sub(&s->in_flight, 1, __ATOMIC_RELAXED);
}

static void on_connection(void *cls, struct MHD_Connection *conn, void **socket_context,
                          enum MHD_ConnectionNotificationCode code)
{
	http_server *s = cls;
	conn_rec *r;

	if (code == MHD_CONNECTION_NOTIFY_STARTED) {
		const union MHD_ConnectionInfo *ci = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CONNECTION_FD);
		r = xcalloc(1, sizeof(*r));
		r->fd = ci ? ci->connect_fd : -1;
		r->waiting_since = now_us();
		r->receiving = true;
		pthread_mutex_lock(&s->house_mu);
		r->next = s->conns;
		if (s->conns)
			s->conns->prev = r;
		s->conns = r;
		pthread_mutex_unlock(&s->house_mu);
		*socket_context = r;
		return;
	}
	r = *socket_context;
	if (!r)
		return;
	/* removed under the lock the reaper holds while it shuts a socket
	 * down, and before libmicrohttpd closes the descriptor, so the reaper
	 * can never touch a descriptor number that has been reused */
	pthread_mutex_lock(&s->house_mu);
	if (r->prev)
		r->prev->next = r->next;
	else
		s->conns = r->next;
	if (r->next)
		r->next->prev = r->prev;
	pthread_mutex_unlock(&s->house_mu);
	free(r);
	*socket_context = NULL;
}

/* libmicrohttpd unescapes the path and arguments in place; we parse the
 * raw target ourselves (parse.c), so leave its copies as they came. */
static size_t no_unescape(void *cls, struct MHD_Connection *conn, char *s)
{
	(void)cls;
	(void)conn;
	return strlen(s);
}

/* ------------------------------------------------------------------ */
/* housekeeping: checkpoints and request deadlines                     */
/* ------------------------------------------------------------------ */

static void sign_checkpoints(http_server *s)
{
	sl_err err = {0};

	pthread_mutex_lock(&s->writer_mu);
	if (app_checkpoint_log(s->writer, STORE_LOG_CASES, true, NULL, &err))
		log_message(s, "checkpoint", err.msg);
	if (app_checkpoint_log(s->writer, STORE_LOG_ACCESS, true, NULL, &err))
		log_message(s, "checkpoint", err.msg);
	pthread_mutex_unlock(&s->writer_mu);
}

static void reap_slow(http_server *s, uint64_t now)
{
	uint64_t limit = (uint64_t)s->o.timeout * 1000000u;
	conn_rec *r;

	pthread_mutex_lock(&s->house_mu);
	for (r = s->conns; r; r = r->next) {
		if (r->fd < 0 || !__atomic_load_n(&r->receiving, __ATOMIC_RELAXED))
			continue;
		if (now - __atomic_load_n(&r->waiting_since, __ATOMIC_RELAXED) > limit) {
			/* shutdown, not close: the descriptor stays libmicrohttpd's,
			 * which sees the end of the stream and cleans up */
			shutdown(r->fd, SHUT_RDWR);
			__atomic_store_n(&r->fd, -1, __ATOMIC_RELAXED);
			add(&s->dropped_slow, 1);
		}
	}
	pthread_mutex_unlock(&s->house_mu);
}

static void *housekeeping(void *arg)
{
	http_server *s = arg;
	uint64_t last_cp = now_us();

	pthread_mutex_lock(&s->house_mu);
	while (!s->house_stop) {
		struct timespec ts;
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_nsec += 250 * 1000000L;
		if (ts.tv_nsec >= 1000000000L) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000L;
		}
		pthread_cond_timedwait(&s->house_cv, &s->house_mu, &ts);
		if (s->house_stop)
			break;
		pthread_mutex_unlock(&s->house_mu);
		{
			uint64_t now = now_us();
			reap_slow(s, now);
			if (now - last_cp >= (uint64_t)s->o.checkpoint_ms * 1000u) {
				sign_checkpoints(s);
				last_cp = now;
			}
		}
		pthread_mutex_lock(&s->house_mu);
	}
	pthread_mutex_unlock(&s->house_mu);
	sha256_thread_release();
	return NULL;
}

/* ------------------------------------------------------------------ */
/* metrics                                                             */
/* ------------------------------------------------------------------ */

static const http_route *route_at(http_server *s, size_t index)
{
	size_t t;
	for (t = 0; t < SL_ARRAY_LEN(s->tables); t++) {
		if (index < s->tables[t].n)
			return &s->tables[t].routes[index];
		index -= s->tables[t].n;
	}
	return NULL;
}

/* The server-time histogram, one series per route that has answered. */
static void handler_metrics(http_server *s, buf *out)
{
	size_t i, j;

	buf_puts(out, "# HELP safeledger_http_handler_seconds Server time: from the route found to the response "
	              "handed to libmicrohttpd (checks, access-log write and its fsync, handler), by route.\n"
	              "# TYPE safeledger_http_handler_seconds histogram\n");
	for (i = 0; i < s->n_routes; i++) {
		const http_route *rt = route_at(s, i);
		uint64_t n = load(&s->handler_count[i]), cum = 0;
		if (!n)
			continue;
		for (j = 0; j < N_HANDLER_BUCKETS; j++) {
			cum += load(&s->handler_buckets[i * N_HANDLER_BUCKETS + j]);
			buf_printf(out, "safeledger_http_handler_seconds_bucket{method=\"%s\",route=\"%s\",le=\"", rt->method,
			           rt->pattern);
			if (j < N_HANDLER_BUCKETS - 1)
				buf_printf(out, "%g", (double)handler_bucket_us[j] / 1e6);
			else
				buf_puts(out, "+Inf");
			buf_printf(out, "\"} %llu\n", (unsigned long long)cum);
		}
		buf_printf(out, "safeledger_http_handler_seconds_sum{method=\"%s\",route=\"%s\"} %.6f\n", rt->method,
		           rt->pattern, (double)load(&s->handler_sum_us[i]) / 1e6);
		buf_printf(out, "safeledger_http_handler_seconds_count{method=\"%s\",route=\"%s\"} %llu\n", rt->method,
		           rt->pattern, (unsigned long long)n);
	}
}

void http_server_metrics(http_server *s, buf *out)
{
	uint64_t cum = 0;
	size_t i, j;

	buf_puts(out, "# HELP safeledger_http_requests_total Requests answered, by route pattern and status.\n"
	              "# TYPE safeledger_http_requests_total counter\n");
	for (i = 0; i <= s->n_routes; i++) {
		const http_route *rt = route_at(s, i);
		for (j = 0; j < N_STATUS; j++) {
			uint64_t v = load(&s->requests[i * N_STATUS + j]);
			if (!v)
				continue;
			buf_printf(out, "safeledger_http_requests_total{method=\"%s\",route=\"%s\",status=\"",
			           rt ? rt->method : "", rt ? rt->pattern : "none");
			if (j < N_STATUS - 1)
				buf_printf(out, "%d", counted_status[j]);
			else
				buf_puts(out, "other");
			buf_printf(out, "\"} %llu\n", (unsigned long long)v);
		}
	}
	buf_puts(out, "# HELP safeledger_http_request_duration_seconds Time from the request line to the response sent "
	              "(with receiving the body and sending the answer; safeledger_http_handler_seconds is the "
	              "server's own time).\n"
	              "# TYPE safeledger_http_request_duration_seconds histogram\n");
	for (i = 0; i < N_BUCKETS; i++) {
		cum += load(&s->buckets[i]);
		if (i < N_BUCKETS - 1)
			buf_printf(out, "safeledger_http_request_duration_seconds_bucket{le=\"%g\"} %llu\n",
			           (double)bucket_us[i] / 1e6, (unsigned long long)cum);
		else
			buf_printf(out, "safeledger_http_request_duration_seconds_bucket{le=\"+Inf\"} %llu\n",
			           (unsigned long long)cum);
	}
	buf_printf(out, "safeledger_http_request_duration_seconds_sum %.6f\n",
	           (double)load(&s->latency_sum_us) / 1e6);
	buf_printf(out, "safeledger_http_request_duration_seconds_count %llu\n",
	           (unsigned long long)load(&s->latency_count));
	handler_metrics(s, out);
	buf_printf(out, "# HELP safeledger_http_requests_in_flight Requests begun and not yet answered.\n"
	                "# TYPE safeledger_http_requests_in_flight gauge\n"
	                "safeledger_http_requests_in_flight %ld\n",
	           __atomic_load_n(&s->in_flight, __ATOMIC_RELAXED));
	buf_printf(out, "# HELP safeledger_http_slow_requests_dropped_total Connections dropped for sending a request "
	                "slower than the timeout.\n"
	                "# TYPE safeledger_http_slow_requests_dropped_total counter\n"
	                "safeledger_http_slow_requests_dropped_total %llu\n",
	           (unsigned long long)load(&s->dropped_slow));
	pthread_mutex_lock(&s->gc_mu);
	buf_printf(out, "# HELP safeledger_writes_total Writes (events, access records) made through group commit.\n"
	                "# TYPE safeledger_writes_total counter\n"
	                "safeledger_writes_total %llu\n"
	                "# HELP safeledger_write_groups_total Transactions (each one fsync) those writes shared.\n"
	                "# TYPE safeledger_write_groups_total counter\n"
	                "safeledger_write_groups_total %llu\n",
	           (unsigned long long)s->gc_writes, (unsigned long long)s->gc_groups);
	pthread_mutex_unlock(&s->gc_mu);
}

/* ------------------------------------------------------------------ */
/* start and stop                                                      */
/* ------------------------------------------------------------------ */

static int read_file(const char *path, char **out, sl_err *err)
{
	FILE *f = fopen(path, "re");
	buf b = BUF_INIT;
	int rc;

	*out = NULL;
	if (!f)
		return sl_fail(err, SL_EIO, "%s: %s", path, strerror(errno));
	rc = buf_read_stream(&b, f, 1024 * 1024 - 1);
	fclose(f);
	if (rc || b.len == 0) {
		buf_release(&b);
		return sl_fail(err, SL_EINVAL, "%s: not a PEM file", path);
	}
	*out = buf_detach(&b);
	return 0;
}

static int bind_listen(http_server *s, const char *listen_addr, sl_err *err)
{
	struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM,
	                         .ai_flags = AI_PASSIVE | AI_NUMERICSERV};
	struct addrinfo *ai = NULL;
	struct sockaddr_storage ss;
	socklen_t sl = sizeof(ss);
	char *host = NULL, portstr[16];
	unsigned port;
	buf url = BUF_INIT;
	int rc, fd = -1, one = 1, g;

	if ((rc = http_listen_parse(listen_addr, &host, &port, err)))
		return rc;
	snprintf(portstr, sizeof(portstr), "%u", port);
	if ((g = getaddrinfo(host, portstr, &hints, &ai)) != 0) {
		rc = sl_fail(err, SL_EINVAL, "--listen: `%s`: %s", host, gai_strerror(g));
		goto done;
	}
	fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol);
	if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) != 0 ||
	    bind(fd, ai->ai_addr, ai->ai_addrlen) != 0 || listen(fd, 511) != 0 ||
	    getsockname(fd, (struct sockaddr *)&ss, &sl) != 0) {
		rc = sl_fail(err, SL_EIO, "cannot listen on %s: %s", listen_addr, strerror(errno));
		goto done;
	}
	port = ntohs(ss.ss_family == AF_INET6 ? ((struct sockaddr_in6 *)&ss)->sin6_port
	                                      : ((struct sockaddr_in *)&ss)->sin_port);
	buf_printf(&url, "%s://%s%s%s:%u", s->tls ? "https" : "http", ss.ss_family == AF_INET6 ? "[" : "", host,
	           ss.ss_family == AF_INET6 ? "]" : "", port);
	s->url = buf_detach(&url);
	s->listen_fd = fd;
	fd = -1;
done:
	if (fd >= 0)
		close(fd);
	if (ai)
		freeaddrinfo(ai);
	free(host);
	return rc;
}

static void server_free(http_server *s)
{
	size_t i;

	pool_stop(s);
	free(s->wp);
	if (s->house_started) {
		pthread_mutex_lock(&s->house_mu);
		s->house_stop = true;
		pthread_cond_signal(&s->house_cv);
		pthread_mutex_unlock(&s->house_mu);
		pthread_join(s->house, NULL);
	}
	if (s->listen_fd >= 0)
		close(s->listen_fd);
	for (i = 0; i < s->n_apps; i++)
		app_close(s->apps[i]);
	free(s->apps);
	if (s->writer)
		app_close(s->writer);
	pthread_key_delete(s->app_key);
	pthread_mutex_destroy(&s->writer_mu);
	pthread_mutex_destroy(&s->gc_mu);
	pthread_mutex_destroy(&s->wp_mu);
	pthread_cond_destroy(&s->wp_cv);
	pthread_mutex_destroy(&s->apps_mu);
	pthread_mutex_destroy(&s->house_mu);
	pthread_cond_destroy(&s->house_cv);
	free(s->requests);
	free(s->handler_buckets);
	free(s->handler_sum_us);
	free(s->handler_count);
	free(s->url);
	if (s->key_pem)
		sodium_memzero(s->key_pem, strlen(s->key_pem));
	free(s->key_pem);
	free(s->cert_pem);
	free(s);
}

static unsigned online_cores(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	return n > 0 && n < 1024 ? (unsigned)n : 1;
}

int http_server_start(const http_server_opts *o, http_server **out, sl_err *err)
{
	http_server *s = xcalloc(1, sizeof(*s));
	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_AUTO | MHD_USE_ITC | MHD_USE_ERROR_LOG |
	                 MHD_ALLOW_SUSPEND_RESUME;
	struct MHD_OptionItem opts[16];
	size_t n = 0;
	int rc;

	*out = NULL;
	s->o = *o;
	s->o.app.readonly = false;
	s->listen_fd = -1;
	s->log = o->log ? o->log : stderr;
	if (!s->o.listen)
		s->o.listen = HTTP_DEFAULT_LISTEN;
	if (!s->o.threads)
		s->o.threads = HTTP_THREADS_PER_CORE * online_cores() < HTTP_MIN_THREADS
		                   ? HTTP_MIN_THREADS
		                   : HTTP_THREADS_PER_CORE * online_cores();
	if (!s->o.max_body)
		s->o.max_body = HTTP_DEFAULT_MAX_BODY;
	if (!s->o.timeout)
		s->o.timeout = HTTP_DEFAULT_TIMEOUT;
	if (!s->o.max_connections)
		s->o.max_connections = HTTP_DEFAULT_CONNECTIONS;
	if (!s->o.checkpoint_ms)
		s->o.checkpoint_ms = HTTP_DEFAULT_CHECKPOINT_MS;
	pthread_mutex_init(&s->writer_mu, NULL);
	pthread_mutex_init(&s->gc_mu, NULL);
	pthread_mutex_init(&s->wp_mu, NULL);
	pthread_cond_init(&s->wp_cv, NULL);
	pthread_mutex_init(&s->apps_mu, NULL);
	pthread_mutex_init(&s->house_mu, NULL);
	pthread_cond_init(&s->house_cv, NULL);
	pthread_key_create(&s->app_key, thread_end);
	s->tables[0] = (table){http_log_routes, http_log_routes_len};
	s->tables[1] = (table){http_session_routes, http_session_routes_len};
	s->tables[2] = (table){http_page_routes, http_page_routes_len};
	s->tables[3] = (table){http_api_routes, http_api_routes_len};
	s->n_routes = http_log_routes_len + http_session_routes_len + http_page_routes_len + http_api_routes_len;
	s->requests = xcalloc((s->n_routes + 1) * N_STATUS, sizeof(*s->requests));
	s->handler_buckets = xcalloc(s->n_routes * N_HANDLER_BUCKETS, sizeof(*s->handler_buckets));
	s->handler_sum_us = xcalloc(s->n_routes, sizeof(*s->handler_sum_us));
	s->handler_count = xcalloc(s->n_routes, sizeof(*s->handler_count));

	if (!o->tls_cert != !o->tls_key) {
		rc = sl_fail(err, SL_EINVAL, "--tls-cert and --tls-key go together");
		goto fail;
	}
	if (o->tls_cert) {
		if ((rc = read_file(o->tls_cert, &s->cert_pem, err)) || (rc = read_file(o->tls_key, &s->key_pem, err)))
			goto fail;
		if (MHD_is_feature_supported(MHD_FEATURE_TLS) != MHD_YES) {
			rc = sl_fail(err, SL_EINVAL, "this libmicrohttpd was built without TLS");
			goto fail;
		}
		s->tls = true;
		flags |= MHD_USE_TLS;
	}
	/* the writer first: an upgraded database is migrated and rebuilt here,
	 * once, before any worker opens it */
	if ((rc = app_open(&s->o.app, &s->writer, err)))
		goto fail;
	if ((rc = bind_listen(s, s->o.listen, err)))
		goto fail;
	if (s->o.assets_dir) {
		/* pages still work without govuk-frontend, unstyled: say so, once */
		buf css = BUF_INIT;
		struct stat st;
		buf_printf(&css, "%s/node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.css", s->o.assets_dir);
		if (stat(css.data, &st) != 0)
			log_message(s, "warning", "govuk-frontend is not installed under the assets directory (run "
			                          "`npm ci` there, or pass --assets DIR): pages will be served unstyled");
		buf_release(&css);
	}

	if ((rc = pool_start(s, HTTP_WRITE_THREADS, err)))
		goto fail;
	opts[n++] = (struct MHD_OptionItem){MHD_OPTION_EXTERNAL_LOGGER, (intptr_t)mhd_logger, s};
	opts[n++] = (struct MHD_OptionItem){MHD_OPTION_LISTEN_SOCKET, s->listen_fd, NULL};
	if (s->o.threads > 1)
		opts[n++] = (struct MHD_OptionItem){MHD_OPTION_THREAD_POOL_SIZE, s->o.threads, NULL};
	opts[n++] = (struct MHD_OptionItem){MHD_OPTION_CONNECTION_TIMEOUT, s->o.timeout, NULL};
	opts[n++] = (struct MHD_OptionItem){MHD_OPTION_CONNECTION_LIMIT, s->o.max_connections, NULL};
	opts[n++] = (struct MHD_OptionItem){MHD_OPTION_URI_LOG_CALLBACK, (intptr_t)on_uri, s};
	opts[n++] = (struct MHD_OptionItem){MHD_OPTION_NOTIFY_COMPLETED, (intptr_t)on_completed, s};
	opts[n++] = (struct MHD_OptionItem){MHD_OPTION_NOTIFY_CONNECTION, (intptr_t)on_connection, s};
	opts[n++] = (struct MHD_OptionItem){MHD_OPTION_UNESCAPE_CALLBACK, (intptr_t)no_unescape, NULL};
	opts[n++] = (struct MHD_OptionItem){MHD_OPTION_STRICT_FOR_CLIENT, 1, NULL};
	if (s->tls) {
		opts[n++] = (struct MHD_OptionItem){MHD_OPTION_HTTPS_MEM_CERT, 0, s->cert_pem};
		opts[n++] = (struct MHD_OptionItem){MHD_OPTION_HTTPS_MEM_KEY, 0, s->key_pem};
	}
	opts[n++] = (struct MHD_OptionItem){MHD_OPTION_END, 0, NULL};
	assert(n <= SL_ARRAY_LEN(opts));

	s->d = MHD_start_daemon(flags, 0, NULL, NULL, on_request, s, MHD_OPTION_ARRAY, opts, MHD_OPTION_END);
	if (!s->d) {
		rc = sl_fail(err, SL_EIO, "the HTTP server did not start%s (see the log above)",
		             s->tls ? " (is the TLS key the certificate's?)" : "");
		goto fail;
	}
	if (pthread_create(&s->house, NULL, housekeeping, s) != 0) {
		rc = sl_fail(err, SL_EIO, "cannot start a thread: %s", strerror(errno));
		MHD_stop_daemon(s->d);
		goto fail;
	}
	s->house_started = true;
	*out = s;
	return 0;
fail:
	server_free(s);
	return rc;
}

const char *http_server_url(const http_server *s)
{
	return s->url;
}

const char *http_server_assets_dir(const http_server *s)
{
	return s->o.assets_dir;
}

void http_server_block_signals(void)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	/* a client that hangs up mid-response must not kill the server */
	signal(SIGPIPE, SIG_IGN);
}

int http_server_wait_signal(void)
{
	sigset_t set;
	int sig = 0;

	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	while (sigwait(&set, &sig) != 0)
		;
	return sig;
}

void http_server_stop(http_server *s)
{
	uint64_t deadline;

	if (!s)
		return;
	__atomic_store_n(&s->draining, true, __ATOMIC_RELAXED);
	MHD_quiesce_daemon(s->d);
	/* requests in flight finish (each holds its own transaction, so none
	 * is half-written either way); a request still arriving after the
	 * timeout is cut, as it would have been anyway */
	deadline = now_us() + (uint64_t)s->o.timeout * 1000000u;
	while (__atomic_load_n(&s->in_flight, __ATOMIC_RELAXED) > 0 && now_us() < deadline) {
		struct timespec ts = {0, 5 * 1000000L};
		nanosleep(&ts, NULL);
	}
	/* every request the pool holds is answered and its connection resumed:
	 * libmicrohttpd may not be stopped with one suspended */
	pool_stop(s);
	MHD_stop_daemon(s->d);
	s->d = NULL;
	if (s->house_started) {
		pthread_mutex_lock(&s->house_mu);
		s->house_stop = true;
		pthread_cond_signal(&s->house_cv);
		pthread_mutex_unlock(&s->house_mu);
		pthread_join(s->house, NULL);
		s->house_started = false;
	}
	sign_checkpoints(s);
	log_message(s, "stopped", "the server has stopped");
	server_free(s);
}
