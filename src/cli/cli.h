/*
 * cli.h - what the sub-command files share: the command table entry,
 * option handling common to every command, and error reporting.
 *
 * Library code never prints; these helpers are the only place an sl_err
 * reaches the terminal.  Exit status: 0 success, 1 failure (including a
 * ledger that fails verification), 2 wrong usage.
 */
#ifndef SL_CLI_H
#define SL_CLI_H

#include "util/common.h"
#include "app/app.h"

typedef struct cli_command {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *summary;
	const char *usage; /* options, one per line, shown by --help */
} cli_command;

/* Options every command takes. */
typedef struct cli_common {
	const char *db;
	const char *key;
	const char *rules; /* --rules FILE or $SAFELEDGER_RULES: rules configuration */
	const char *today; /* --today DATE or $SAFELEDGER_TODAY: the rules' today */
} cli_common;

/* Fill defaults: --db from SAFELEDGER_DB or "safeledger.db"; --key from
 * SAFELEDGER_KEY or "<db>.key". */
void cli_common_init(cli_common *c);

/* Handle one getopt_long result shared by all commands ('d' = --db,
 * 'k' = --key, 'r' = --rules, 'T' = --today, 'h' = --help).  Returns 1 when handled, 0 when not one of
 * them; for --help it prints usage and exits. */
int cli_common_option(cli_common *c, int opt, const char *arg, const char *command);

int cli_open(const cli_common *c, bool readonly, app **out);
/* The app options the common options give. */
app_options cli_app_options(const cli_common *c);
int cli_fail(const sl_err *err);           /* prints, returns 1 */
int cli_usage_error(const char *command, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void cli_print_usage(const char *command, FILE *out);
const char *cli_recorder(void);            /* "cli:<login>" */
/* Write data to path whole or not at all (a temporary file, fsync'd, then
 * renamed over path); SL_EIO naming the file, `--out` when it cannot be
 * created. */
int cli_write_file(const char *path, const buf *data, sl_err *err);
int cli_parse_u64(const char *s, uint64_t *out);
/* "cases" -> STORE_LOG_CASES, "access" -> STORE_LOG_ACCESS, else -1 (--log). */
int cli_parse_log(const char *s);

#define CLI_COMMON_OPTIONS \
	{"db", required_argument, NULL, 'd'}, {"key", required_argument, NULL, 'k'}, \
	{"rules", required_argument, NULL, 'r'}, {"today", required_argument, NULL, 'T'}, \
	{"help", no_argument, NULL, 'h'}

extern const cli_command cli_commands[];
extern const size_t cli_command_count;

/* One entry point per sub-command file. */
int cmd_init(int argc, char **argv);
int cmd_import(int argc, char **argv);
int cmd_append(int argc, char **argv);
int cmd_export(int argc, char **argv);
int cmd_key(int argc, char **argv);
int cmd_checkpoint(int argc, char **argv);
int cmd_prove(int argc, char **argv);
int cmd_verify(int argc, char **argv);
int cmd_events(int argc, char **argv);
int cmd_rebuild(int argc, char **argv);
int cmd_replay(int argc, char **argv);
int cmd_tick(int argc, char **argv);
int cmd_rules(int argc, char **argv);
int cmd_child(int argc, char **argv);
int cmd_demo(int argc, char **argv);
/* users, partner tokens, the access log (helper A) */
int cmd_user(int argc, char **argv);
int cmd_token(int argc, char **argv);
int cmd_access(int argc, char **argv);
/* the HTTP server (helper B) */
int cmd_serve(int argc, char **argv);
/* reports: the review pack and its offline check */
int cmd_review_pack(int argc, char **argv);
/* reports: Ofsted Annex A */
int cmd_annex_a(int argc, char **argv);
int cmd_verify_pack(int argc, char **argv);
/* reports: the DfE children in need census return */
int cmd_census(int argc, char **argv);

#endif
