/*
 * cmd_serve.c - `safeledger serve`: run the HTTP server (src/http/server.h)
 * until SIGTERM or SIGINT, then stop gracefully.
 *
 * Once the server accepts connections it prints exactly one line on
 * stdout, "listening on http://HOST:PORT" (https under TLS), and flushes
 * it, so a script that started it with --listen 127.0.0.1:0 can read the
 * port.  Everything else (one JSON line per request) goes to stderr.
 */
#include "util/common.h"
#include "cli/cli.h"
#include "http/server.h"

#include <getopt.h>
#include <signal.h>

static int parse_uint(const char *command, const char *opt, const char *arg, uint64_t max, uint64_t *out)
{
	if (cli_parse_u64(arg, out) || *out > max)
		return cli_usage_error(command, "%s: `%s` is not a whole number up to %llu", opt, arg,
		                       (unsigned long long)max);
	return 0;
}

int cmd_serve(int argc, char **argv)
{
	enum { O_LISTEN = 256, O_CERT, O_KEY, O_THREADS, O_BODY, O_TIMEOUT, O_CONNS, O_IDLE, O_MAX, O_CP, O_ASSETS };
	static const struct option opts[] = {
		CLI_COMMON_OPTIONS,
		{"listen", required_argument, NULL, O_LISTEN},
		{"tls-cert", required_argument, NULL, O_CERT},
		{"tls-key", required_argument, NULL, O_KEY},
		{"threads", required_argument, NULL, O_THREADS},
		{"max-body", required_argument, NULL, O_BODY},
		{"timeout", required_argument, NULL, O_TIMEOUT},
		{"max-connections", required_argument, NULL, O_CONNS},
		{"session-idle", required_argument, NULL, O_IDLE},
		{"session-max", required_argument, NULL, O_MAX},
		{"checkpoint-interval", required_argument, NULL, O_CP},
		{"assets", required_argument, NULL, O_ASSETS},
		{0},
	};
	http_server_opts o = {0};
#ifdef SL_ASSETS_DIR
	o.assets_dir = SL_ASSETS_DIR; /* the source tree: node_modules/ and web/static/ */
#endif
	http_server *s = NULL;
	cli_common c;
	sl_err err = {0};
	uint64_t v;
	int opt, sig;

	cli_common_init(&c);
	while ((opt = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		if (cli_common_option(&c, opt, optarg, "serve"))
			continue;
		switch (opt) {
		case O_LISTEN: o.listen = optarg; break;
		case O_ASSETS: o.assets_dir = optarg; break;
		case O_CERT: o.tls_cert = optarg; break;
		case O_KEY: o.tls_key = optarg; break;
		case O_THREADS:
			if (parse_uint("serve", "--threads", optarg, 256, &v) || v == 0)
				return cli_usage_error("serve", "--threads: 1 to 256");
			o.threads = (unsigned)v;
			break;
		case O_BODY:
			if (parse_uint("serve", "--max-body", optarg, (uint64_t)1 << 30, &v) || v == 0)
				return cli_usage_error("serve", "--max-body: 1 byte to 1 GiB");
			o.max_body = (size_t)v;
			break;
		case O_TIMEOUT:
			if (parse_uint("serve", "--timeout", optarg, 3600, &v) || v == 0)
				return cli_usage_error("serve", "--timeout: 1 to 3600 seconds");
			o.timeout = (unsigned)v;
			break;
		case O_CONNS:
			if (parse_uint("serve", "--max-connections", optarg, 65536, &v) || v == 0)
				return cli_usage_error("serve", "--max-connections: 1 to 65536");
			o.max_connections = (unsigned)v;
			break;
		case O_IDLE:
			if (parse_uint("serve", "--session-idle", optarg, 7 * 86400, &v) || v == 0)
				return cli_usage_error("serve", "--session-idle: 1 second to 7 days");
			o.session.idle_seconds = (int)v;
			break;
		case O_MAX:
			if (parse_uint("serve", "--session-max", optarg, 30 * 86400, &v) || v == 0)
				return cli_usage_error("serve", "--session-max: 1 second to 30 days");
			o.session.absolute_seconds = (int)v;
			break;
		case O_CP:
			if (parse_uint("serve", "--checkpoint-interval", optarg, 3600000, &v) || v == 0)
				return cli_usage_error("serve", "--checkpoint-interval: 1 to 3600000 ms");
			o.checkpoint_ms = (unsigned)v;
			break;
		default: return cli_usage_error("serve", "unknown option");
		}
	}
	if (optind != argc)
		return cli_usage_error("serve", "unexpected argument `%s`", argv[optind]);
	if (!o.tls_cert != !o.tls_key)
		return cli_usage_error("serve", "--tls-cert and --tls-key go together");
	/* an unset timeout of the pair takes auth.h's default, not zero */
	if (o.session.idle_seconds && !o.session.absolute_seconds)
		o.session.absolute_seconds = 12 * 3600;
	if (o.session.absolute_seconds && !o.session.idle_seconds)
		o.session.idle_seconds = 30 * 60;
	o.app = cli_app_options(&c);

	http_server_block_signals();
	if (http_server_start(&o, &s, &err))
		return cli_fail(&err);
	printf("listening on %s\n", http_server_url(s));
	fflush(stdout);
	sig = http_server_wait_signal();
	fprintf(stderr, "safeledger: %s: stopping (requests in flight finish first)\n",
	        sig == SIGTERM ? "SIGTERM" : "SIGINT");
	http_server_stop(s);
	return 0;
}
