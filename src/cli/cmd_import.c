/*
 * cmd_import.c - `safeledger import` and `safeledger append`.
 *
 * import: the whole file in one transaction (nothing written on error),
 * with a progress bar when stderr is a terminal.  append: each line its own
 * durable transaction, acknowledged on stdout only after commit, which is
 * what a caller that must not lose an acknowledged write relies on.
 */
#include "util/common.h"
#include "cli/cli.h"
#include "ledger/jcs.h"
#include "util/lines.h"

#include <errno.h>
#include <getopt.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define DEFAULT_MAX_LINE (1024 * 1024)

typedef struct progress {
	uint64_t total_bytes; /* 0: unknown (a pipe) */
	struct timespec start, last;
} progress;

static double seconds_since(const struct timespec *t)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - t->tv_sec) + (double)(now.tv_nsec - t->tv_nsec) / 1e9;
}

static void show_progress(void *ctx, uint64_t bytes, uint64_t events)
{
	progress *p = ctx;
	double el = seconds_since(&p->start);
	char bar[41];
	int i, fill;

	if (seconds_since(&p->last) < 0.1)
		return;
	clock_gettime(CLOCK_MONOTONIC, &p->last);
	if (p->total_bytes) {
		fill = (int)(40.0 * (double)bytes / (double)p->total_bytes);
		for (i = 0; i < 40; i++)
			bar[i] = i < fill ? '#' : '.';
		bar[40] = '\0';
		fprintf(stderr, "\r[%s] %3.0f%%  %llu events  %.0f/s ", bar, 100.0 * (double)bytes / (double)p->total_bytes,
		        (unsigned long long)events, el > 0 ? (double)events / el : 0.0);
	} else {
		fprintf(stderr, "\r%llu events  %.0f/s ", (unsigned long long)events, el > 0 ? (double)events / el : 0.0);
	}
}

static FILE *open_input(const char *path)
{
	return strcmp(path, "-") == 0 ? stdin : fopen(path, "re");
}

int cmd_import(int argc, char **argv)
{
	static const struct option opts[] = {CLI_COMMON_OPTIONS,
	                                     {"max-line", required_argument, NULL, 'm'},
	                                     {"quiet", no_argument, NULL, 'q'},
	                                     {0}};
	cli_common c;
	uint64_t max_line = DEFAULT_MAX_LINE;
	bool quiet = false, bar;
	progress p = {0};
	app_import_stats stats;
	struct timespec t0;
	struct stat st;
	sl_err err = {0};
	app *a = NULL;
	FILE *in;
	int opt, rc;

	cli_common_init(&c);
	while ((opt = getopt_long(argc, argv, "hq", opts, NULL)) != -1) {
		if (cli_common_option(&c, opt, optarg, "import"))
			continue;
		if (opt == 'm' && cli_parse_u64(optarg, &max_line) == 0 && max_line > 0)
			continue;
		if (opt == 'q') {
			quiet = true;
			continue;
		}
		return cli_usage_error("import", opt == 'm' ? "--max-line needs a positive number" : "unknown option");
	}
	if (optind + 1 != argc)
		return cli_usage_error("import", "give one FILE.jsonl, or - for standard input");
	if (!(in = open_input(argv[optind]))) {
		fprintf(stderr, "safeledger: %s: %s\n", argv[optind], strerror(errno));
		return 1;
	}
	if ((rc = cli_open(&c, false, &a)))
		goto done;
	bar = !quiet && isatty(STDERR_FILENO);
	if (fstat(fileno(in), &st) == 0 && S_ISREG(st.st_mode))
		p.total_bytes = (uint64_t)st.st_size;
	clock_gettime(CLOCK_MONOTONIC, &p.start);
	t0 = p.start;
	rc = app_import(a, in, cli_recorder(), (size_t)max_line, bar ? show_progress : NULL, &p, &stats, &err);
	if (bar)
		fputc('\n', stderr);
	if (rc) {
		rc = cli_fail(&err);
		fputs("safeledger: nothing was imported\n", stderr);
		goto done;
	}
	printf("imported %llu events in %.2fs; ledger size %llu; checkpoint signed\n",
	       (unsigned long long)stats.events, seconds_since(&t0), (unsigned long long)ledger_size(app_ledger(a)));
done:
	app_close(a);
	if (in != stdin)
		fclose(in);
	return rc;
}

int cmd_append(int argc, char **argv)
{
	static const struct option opts[] = {CLI_COMMON_OPTIONS, {0}};
	app_write_opts wo = {.live = true}; /* a person recording now */
	cli_common c;
	line_reader r;
	const char *line, *path = "-";
	size_t len;
	sl_err err = {0};
	app *a = NULL;
	FILE *in;
	int opt, got, rc;

	cli_common_init(&c);
	while ((opt = getopt_long(argc, argv, "h", opts, NULL)) != -1)
		if (!cli_common_option(&c, opt, optarg, "append"))
			return cli_usage_error("append", "unknown option");
	if (optind + 1 == argc)
		path = argv[optind];
	else if (optind != argc)
		return cli_usage_error("append", "give at most one FILE.jsonl");
	if (!(in = open_input(path))) {
		fprintf(stderr, "safeledger: %s: %s\n", path, strerror(errno));
		return 1;
	}
	if ((rc = cli_open(&c, false, &a)))
		goto close_in;
	wo.recorder = cli_recorder();
	lines_init(&r, in, DEFAULT_MAX_LINE);
	while ((got = lines_next(&r, &line, &len)) == 1) {
		ledger_entry entry;
		json_t *event;
		buf hex = BUF_INIT;

		if (len == 0)
			continue;
		event = jcs_parse(line, len, &err);
		rc = event ? app_append(a, event, &wo, &entry, &err) : SL_EINVAL;
		json_decref(event);
		if (rc) {
			sl_err_prefix(&err, "line %llu", r.lineno);
			rc = cli_fail(&err);
			goto done;
		}
		buf_append_hex(&hex, entry.leaf_hash, 32);
		printf("%llu %s\n", (unsigned long long)entry.seq, hex.data);
		fflush(stdout);
		buf_release(&hex);
	}
	if (got < 0) {
		fprintf(stderr, "safeledger: line %llu: too long or unreadable\n", r.lineno);
		rc = 1;
		goto done;
	}
	/* Sign the new state so a reader can prove the appends. */
	if (app_checkpoint(a, true, NULL, &err))
		rc = cli_fail(&err);
done:
	lines_release(&r);
	app_close(a);
close_in:
	if (in != stdin)
		fclose(in);
	return rc;
}
