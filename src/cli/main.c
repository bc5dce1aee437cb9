/*
 * main.c - `safeledger`: dispatch to a sub-command from one table.
 *
 * Adding a command is adding a row here and a cmd_*.c file (git's
 * builtin table in git.c is the model).
 */
#include "util/common.h"
#include "cli/cli.h"

#include <errno.h>
#include <getopt.h>
#include <pwd.h>
#include <stdarg.h>
#include <unistd.h>

#define COMMON_USAGE "  --db FILE     the database (default $SAFELEDGER_DB or safeledger.db)\n" \
                     "  --key FILE    the signing key (default $SAFELEDGER_KEY or <db>.key)\n" \
                     "  --rules FILE  rules configuration (default $SAFELEDGER_RULES, else DESIGN 6 defaults)\n" \
                     "  --today DATE  the day the rules take as today (default $SAFELEDGER_TODAY, else the clock)\n"

const cli_command cli_commands[] = {
	{"init", cmd_init, "create a database and its Ed25519 checkpoint key",
	 "[--origin NAME]\n  --origin NAME the log's name, the checkpoint's first line (default <hostname>/safeledger)\n"},
	{"import", cmd_import, "import events or export lines (JSONL) in one transaction",
	 "FILE.jsonl|-\n  --max-line N  refuse lines longer than N bytes (default 1048576)\n"
	 "  --quiet       no progress bar\n"},
	{"append", cmd_append, "append events (JSONL), each in its own durable transaction",
	 "[FILE.jsonl|-]\n  prints \"SEQ LEAF_HASH\" once each event is durable; stops at the first bad line\n"},
	{"export", cmd_export, "print every event as an export line", "\n"},
	{"key", cmd_key, "print the C2SP signed-note verifier key", "\n"},
	{"checkpoint", cmd_checkpoint, "print the current signed checkpoint (signing one if the log grew)",
	 "\n  --no-sign     print the latest stored checkpoint without signing a new one\n"
	 "  --log LOG     cases (default) or access: the access log's checkpoint\n"},
	{"prove", cmd_prove, "print an inclusion or consistency proof",
	 "SEQ [--size N] [--json]\n       prove --from M --to N [--json]\n"
	 "  --size N      tree size to prove against (default: the latest checkpoint's)\n"
	 "  --log LOG     cases (default) or access: prove access log entries\n"},
	{"verify", cmd_verify, "recompute every leaf and root and check every checkpoint, of both logs", "\n"},
	{"events", cmd_events, "print a child's events in order, as JSON lines", "--child ID\n"},
	{"rebuild", cmd_rebuild, "drop the projections and derive them again from the ledger",
	 "[--dump FILE [--dump-only]]\n  --dump FILE   then write every projection table in a stable text form (- for stdout)\n"
	 "  --dump-only   only write the dump (read-only; nothing is rebuilt)\n"},
	{"replay", cmd_replay, "run a history through the rules on a fresh in-memory instance",
	 "FILE.jsonl|- [--json] [--until DATE] [--full]\n"
	 "  --json        one JSON line per alert: {code,child,raised_on,ref,reason,evidence}\n"
	 "  --until DATE  run the time rules through DATE (default: the last event's date); later\n"
	 "                events are left out\n"
	 "  --full        through the whole write path (ledger, projections): same answer, slower\n"},
	{"tick", cmd_tick, "run the daily time rules up to today, appending the alerts they raise",
	 "[--date DATE]\n  --date DATE   tick through DATE instead of today\n"},
	{"child", cmd_child, "a child's state as recorded on a date: case, plan, concerns, what was due, alerts",
	 "ID [--as-of DATE] [--json]\n  --as-of DATE  the record as it stood at the end of DATE (default today)\n"},
	{"rules", cmd_rules, "check a rules configuration and print it in full", "\n"},
	{"demo", cmd_demo, "generate a synthetic local authority's casework (into --db, or --jsonl to stdout)",
	 "--children N [--seed S] [--from DATE --to DATE] [--drift PCT] [--jsonl]\n"
	 "  --children N  children over the period (about 200 events each)\n"
	 "  --seed S      same seed, same events (default 1)\n"
	 "  --from DATE   first day (default 2021-04-01); --to DATE last day (default 2026-03-31)\n"
	 "  --drift PCT   share of families whose cases drift (default 12)\n"
	 "  --jsonl       print the events as JSONL instead of writing them into a new --db\n"},
	/* users, partner tokens, the access log (helper A) */
	{"user", cmd_user, "add, list, disable users or change a password (the password is read from stdin)",
	 "add LOGIN --role ROLE [--team TEAM] [--name NAME]\n"
	 "       user list [--json] | user disable LOGIN | user passwd LOGIN\n"
	 "  --role ROLE   social_worker, team_manager, senior_manager, director, reviewer, data_officer, admin\n"
	 "  --team TEAM   the user's team (a team manager needs one)\n"
	 "  the password is one line of stdin when it is not a terminal, else asked twice without echo\n"},
	{"token", cmd_token, "make, list or revoke a partner agency's bearer token (shown once)",
	 "add --agency AGENCY --name NAME | token list [--json] | token revoke --agency AGENCY --name NAME\n"},
	{"access", cmd_access, "who looked at a child's record, from the access log", "--child ID [--json]\n"},
	/* the HTTP server (helper B) */
	{"serve", cmd_serve, "run the HTTP server: JSON API, sign-in, both logs as C2SP tlog-tiles",
	 "[--listen ADDR:PORT] [--tls-cert FILE --tls-key FILE] [options]\n"
	 "  --listen ADDR:PORT      default 127.0.0.1:8080; port 0 picks a free one (printed on stdout)\n"
	 "  --tls-cert FILE, --tls-key FILE   serve HTTPS with these PEM files\n"
	 "  --threads N             worker threads (default: one per core)\n"
	 "  --max-body BYTES        request body limit (default 1048576)\n"
	 "  --timeout SECONDS       a request must arrive within this; idle connections close (default 30)\n"
	 "  --max-connections N     concurrent connections (default 1024)\n"
	 "  --session-idle SECONDS  session idle timeout (default 1800)\n"
	 "  --session-max SECONDS   session absolute timeout (default 43200)\n"
	 "  --checkpoint-interval MS  sign a checkpoint this often when a log grew (default 1000)\n"
	 "  --assets DIR            the web pages' files: DIR/node_modules/govuk-frontend, DIR/web/static\n"
	 "                          (default: the source tree it was built from)\n"
	 "  SIGTERM or SIGINT stops it after the requests in flight\n"},
	/* reports: the review pack and its offline check */
	{"review-pack", cmd_review_pack, "a child's review pack: printable report and offline proof bundle (zip)",
	 "--child ID --out FILE.zip [--from DATE] [--to DATE]\n"
	 "  --from DATE   events that occurred on or after DATE (and reads on or after it); default: all\n"
	 "  --to DATE     events that occurred on or before DATE; default: all\n"
	 "  signs a checkpoint of each log that grew first; docs/review-pack.md says what is in the pack\n"},
	{"verify-pack", cmd_verify_pack, "check a review pack offline: every event's leaf and proof, the signature",
	 "FILE.zip\n  needs no database; prints \"pack OK: ...\" or names the first event or file that fails\n"},
	/* reports: Ofsted's Annex A lists (docs/annex-a.md) */
	{"annex-a", cmd_annex_a, "Ofsted ILACS Annex A: the inspection lists as an XLSX workbook, one sheet per list",
	 "--as-of DATE --out FILE.xlsx\n"
	 "  --as-of DATE  the record as it stood on DATE; lists cover the six months to it (not after today)\n"
	 "  --out FILE    the workbook; written to FILE.tmp and renamed, so nothing is left on error\n"},
	{"census", cmd_census, "the DfE children in need census return (XML) for a collection year",
	 "--year 2025-26 [--la CODE] [--out FILE.xml]\n"
	 "  --year YYYY-YY  the collection year (1 April to 31 March); 2025-26 is built in\n"
	 "  --la CODE       the local authority's 3-digit code (default $SAFELEDGER_LA)\n"
	 "  --out FILE      write the return there (whole, or not at all); default: standard output\n"
	 "  --check [--json]  the DfE validation rules instead of the return\n"
	 "  docs/census.md: what is returned, and how events map to census items\n"},
};
const size_t cli_command_count = SL_ARRAY_LEN(cli_commands);

static const cli_command *find_command(const char *name)
{
	size_t i;
	for (i = 0; i < cli_command_count; i++)
		if (strcmp(cli_commands[i].name, name) == 0)
			return &cli_commands[i];
	return NULL;
}

void cli_print_usage(const char *command, FILE *out)
{
	const cli_command *c = find_command(command);
	if (!c)
		return;
	fprintf(out, "usage: safeledger %s %s", c->name, c->usage);
	fprintf(out, COMMON_USAGE "\n%s.\n", c->summary);
}

static void print_help(FILE *out)
{
	size_t i;
	fputs("usage: safeledger COMMAND [OPTIONS]\n\n"
	      "A tamper-evident case record for children's social care.\n\nCommands:\n",
	      out);
	for (i = 0; i < cli_command_count; i++)
		fprintf(out, "  %-11s %s\n", cli_commands[i].name, cli_commands[i].summary);
	fputs("\nEvery command takes --db FILE and --help.  See README.md.\n", out);
}

void cli_common_init(cli_common *c)
{
	const char *db = getenv("SAFELEDGER_DB");
	c->db = db && *db ? db : "safeledger.db";
	c->key = getenv("SAFELEDGER_KEY");
	if (c->key && !*c->key)
		c->key = NULL;
	c->rules = getenv("SAFELEDGER_RULES");
	if (c->rules && !*c->rules)
		c->rules = NULL;
	c->today = getenv("SAFELEDGER_TODAY");
	if (c->today && !*c->today)
		c->today = NULL;
}

int cli_common_option(cli_common *c, int opt, const char *arg, const char *command)
{
	switch (opt) {
	case 'd': c->db = arg; return 1;
	case 'k': c->key = arg; return 1;
	case 'r': c->rules = arg; return 1;
	case 'T': c->today = arg; return 1;
	case 'h': cli_print_usage(command, stdout); exit(0);
	default: return 0;
	}
}

app_options cli_app_options(const cli_common *c)
{
	app_options o = {.db = c->db, .key_path = c->key, .rules_config = c->rules, .today = c->today};
	return o;
}

int cli_open(const cli_common *c, bool readonly, app **out)
{
	app_options o = cli_app_options(c);
	sl_err err = {0};

	o.readonly = readonly;
	if (app_open(&o, out, &err))
		return cli_fail(&err);
	return 0;
}

int cli_fail(const sl_err *err)
{
	fprintf(stderr, "safeledger: %s\n", err->msg[0] ? err->msg : "failed");
	return 1;
}

int cli_usage_error(const char *command, const char *fmt, ...)
{
	va_list ap;
	fputs("safeledger: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n(see `safeledger %s --help`)\n", command);
	return 2;
}

const char *cli_recorder(void)
{
	static char name[128];
	const char *login = getenv("SAFELEDGER_USER");
	struct passwd *pw;

	if (!login || !*login) {
		pw = getpwuid(geteuid());
		login = pw ? pw->pw_name : "unknown";
	}
	snprintf(name, sizeof(name), "cli:%s", login);
	return name;
}

/* Whole or not at all: FILE.tmp, flushed to disk, then renamed over FILE. */
int cli_write_file(const char *path, const buf *data, sl_err *err)
{
	buf tmp = BUF_INIT;
	FILE *f;
	int rc = 0;

	buf_printf(&tmp, "%s.tmp", path);
	if (!(f = fopen(tmp.data, "wb"))) {
		rc = sl_fail(err, SL_EIO, "`--out`: cannot create %s: %s", tmp.data, strerror(errno));
		goto done;
	}
	if (fwrite(buf_str(data), 1, data->len, f) != data->len || fflush(f) != 0 || fsync(fileno(f)) != 0) {
		rc = sl_fail(err, SL_EIO, "cannot write %s: %s", tmp.data, strerror(errno));
		fclose(f);
		unlink(tmp.data);
		goto done;
	}
	if (fclose(f) != 0 || rename(tmp.data, path) != 0) {
		rc = sl_fail(err, SL_EIO, "cannot write %s: %s", path, strerror(errno));
		unlink(tmp.data);
	}
done:
	buf_release(&tmp);
	return rc;
}

int cli_parse_u64(const char *s, uint64_t *out)
{
	char *end;
	unsigned long long v;

	if (!s || *s < '0' || *s > '9')
		return -1;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || *end)
		return -1;
	*out = v;
	return 0;
}

int cli_parse_log(const char *s)
{
	if (strcmp(s, "cases") == 0)
		return STORE_LOG_CASES;
	if (strcmp(s, "access") == 0)
		return STORE_LOG_ACCESS;
	return -1;
}

int main(int argc, char **argv)
{
	const cli_command *c;

	if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "help") == 0) {
		if (argc >= 3 && find_command(argv[2])) {
			cli_print_usage(argv[2], stdout);
			return 0;
		}
		print_help(argc < 2 ? stderr : stdout);
		return argc < 2 ? 2 : 0;
	}
	if (strcmp(argv[1], "--version") == 0) {
		puts("safeledger " SL_VERSION);
		return 0;
	}
	c = find_command(argv[1]);
	if (!c) {
		fprintf(stderr, "safeledger: unknown command `%s`\n\n", argv[1]);
		print_help(stderr);
		return 2;
	}
	return c->run(argc - 1, argv + 1);
}
