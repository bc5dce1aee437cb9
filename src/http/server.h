/*
 * server.h - `safeledger serve`: the HTTP server's lifecycle, as the CLI
 * (src/cli/cmd_serve.c) and the tests drive it.
 *
 * The server (server.c) runs libmicrohttpd with a pool of worker threads
 * and owns everything between the socket and a route handler (http.h):
 * limits, routing, authentication, role and child checks, the access log of
 * reads, security headers, one JSON log line per request, metrics, and a
 * housekeeping thread that signs checkpoints when a log has grown and drops
 * connections that take too long to send a request.
 *
 * Ownership: http_server_start returns a server the caller ends with
 * http_server_stop, which also frees it.  Strings in the options are
 * borrowed and must outlive the server.
 */
#ifndef SL_HTTP_SERVER_H
#define SL_HTTP_SERVER_H

#include "http/http.h"

#define HTTP_DEFAULT_LISTEN "127.0.0.1:8080"
#define HTTP_DEFAULT_MAX_BODY (1024 * 1024)
#define HTTP_DEFAULT_TIMEOUT 30
#define HTTP_DEFAULT_CONNECTIONS 1024
#define HTTP_DEFAULT_CHECKPOINT_MS 1000
/* libmicrohttpd's threads serve reads, whose time is CPU: about two per
 * core, since more runnable threads only stretch every request's time (a
 * chronology's server time p99 was 20-40 ms with 16 threads on 2 cores, 9
 * ms with 4: docs/benchmarks.md).  A request that may write waits for its
 * group's fsync (http_write), so it runs on the write pool instead
 * (server.c), whose threads may all wait on one fsync: a group is as large
 * as the writes that arrive while the previous one syncs, up to
 * HTTP_WRITE_THREADS (DESIGN 9).  Each thread that serves a request keeps
 * a small page cache (STORE_SMALL_CACHE), so threads cost little memory. */
#define HTTP_THREADS_PER_CORE 2
#define HTTP_MIN_THREADS 4
#define HTTP_WRITE_THREADS 64

typedef struct http_server_opts {
	app_options app;          /* the instance: db, key, rules, today (readonly ignored) */
	const char *listen;       /* "ADDR:PORT" or "[V6]:PORT"; NULL: HTTP_DEFAULT_LISTEN; port 0: any */
	const char *tls_cert;     /* PEM files, both or neither: HTTPS, cookies get Secure */
	const char *tls_key;
	unsigned threads;         /* libmicrohttpd's threads; 0: HTTP_THREADS_PER_CORE per online core, at
	                           * least HTTP_MIN_THREADS (writes: HTTP_WRITE_THREADS more) */
	size_t max_body;          /* request body limit in bytes; 0: HTTP_DEFAULT_MAX_BODY */
	unsigned timeout;         /* seconds a request may take to arrive, and of
	                           * inactivity before a connection is dropped; 0: default */
	unsigned max_connections; /* 0: HTTP_DEFAULT_CONNECTIONS */
	unsigned checkpoint_ms;   /* sign a checkpoint this often when a log grew; 0: default */
	auth_session_opts session; /* zeroes: auth.h's defaults */
	FILE *log;                /* one JSON line per request; NULL: stderr */
	const char *assets_dir;   /* the web pages' static files: DIR/node_modules/govuk-frontend/dist/govuk
	                           * and DIR/web/static (src/web/assets.c); NULL: none served */
} http_server_opts;

/* Open the instance (the writer's connection first, so a database that
 * needs its projections rebuilt is done before anything is served), bind
 * the address and start serving.  SL_EINVAL for bad options, SL_EIO when
 * the address cannot be bound or TLS files cannot be read. */
int http_server_start(const http_server_opts *o, http_server **out, sl_err *err);

/* "http://127.0.0.1:43123" (https under TLS), with the port actually bound. */
const char *http_server_url(const http_server *s);

/* Block SIGINT and SIGTERM in the calling thread, before http_server_start,
 * so that the worker threads inherit the mask and http_server_wait_signal
 * receives them. */
void http_server_block_signals(void);
/* Wait for SIGINT or SIGTERM; returns the signal. */
int http_server_wait_signal(void);

/* Graceful stop: stop accepting connections, let requests in flight finish
 * (up to the timeout), tell keep-alive clients to close, sign a last
 * checkpoint, close every connection to the database, free the server. */
void http_server_stop(http_server *s);

/* The assets directory of the options (NULL when none). */
const char *http_server_assets_dir(const http_server *s);

/* Sign-in (session.c): the request now has this user, for the log line. */
void http_req_set_user(http_req *r, const auth_user *u);

/* The server's own counters in the Prometheus text format (requests by
 * route and status, a latency histogram, requests in flight), appended to
 * out.  /metrics adds the ledger's gauges (log.c). */
void http_server_metrics(http_server *s, buf *out);

#endif
