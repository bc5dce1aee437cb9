/*
 * cmd_user.c - `safeledger user add|list|disable|passwd`: the people who
 * sign in, their roles and passwords (DESIGN 8; docs/security.md).
 *
 * A password is read as one line from stdin when stdin is not a terminal
 * (scripts, provisioning), and otherwise asked for twice without echo.  It
 * never appears on the command line, where `ps` and shell history would
 * keep it.
 */
#include "util/common.h"
#include "cli/cli.h"
#include "app/auth.h"

#include <getopt.h>
#include <sodium.h>
#include <termios.h>
#include <unistd.h>

/* One line of at most AUTH_MAX_PASSWORD bytes from f, without its end of
 * line, into out (AUTH_MAX_PASSWORD + 2 bytes).  -1 on end of file or a
 * longer line. */
static int read_line(FILE *f, char *out, size_t size)
{
	size_t n;

	if (!fgets(out, (int)size, f))
		return -1;
	n = strlen(out);
	if (n > 0 && out[n - 1] == '\n')
		out[--n] = '\0';
	else if (n == size - 1)
		return -1; /* no end of line within the limit */
	if (n > 0 && out[n - 1] == '\r')
		out[--n] = '\0';
	return 0;
}

/* Ask on the terminal with echo off.  Echo goes off before the question
 * is shown, so nothing typed after it can be echoed; what was typed before
 * it is discarded (TCSAFLUSH), as getpass(3) does. */
static int prompt(const char *question, char *out, size_t size)
{
	struct termios old, quiet;
	bool restore;
	int rc;

	restore = tcgetattr(STDIN_FILENO, &old) == 0;
	if (restore) {
		quiet = old;
		quiet.c_lflag &= ~(tcflag_t)ECHO;
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
	}
	fputs(question, stderr);
	fflush(stderr);
	rc = read_line(stdin, out, size);
	if (restore)
		tcsetattr(STDIN_FILENO, TCSANOW, &old);
	fputc('\n', stderr);
	return rc;
}

/* The new password into out, or an exit status. */
static int read_password(const char *login, char *out, size_t size)
{
	char again[AUTH_MAX_PASSWORD + 2];
	char question[128];
	int rc = 0;

	if (!isatty(STDIN_FILENO)) {
		if (read_line(stdin, out, size)) {
			fprintf(stderr, "safeledger: no password on stdin (one line of at most %d bytes)\n",
			        AUTH_MAX_PASSWORD);
			return 1;
		}
		return 0;
	}
	snprintf(question, sizeof(question), "New password for %s: ", login);
	if (prompt(question, out, size) || prompt("Again: ", again, sizeof(again))) {
		fprintf(stderr, "safeledger: no password given\n");
		rc = 1;
	} else if (strcmp(out, again) != 0) {
		fprintf(stderr, "safeledger: the two passwords differ; nothing was changed\n");
		rc = 1;
	}
	sodium_memzero(again, sizeof(again));
	return rc;
}

static int user_add(app *a, const char *login, const char *role_name, const char *team, const char *agency,
                    const char *name)
{
	char password[AUTH_MAX_PASSWORD + 2];
	sl_err err = {0};
	int role = auth_role_parse(role_name), rc;

	if (role < 0) {
		buf list = BUF_INIT;
		for (int i = 0; i < ROLE_COUNT; i++)
			buf_printf(&list, "%s%s", i ? ", " : "", auth_role_name((auth_role)i));
		fprintf(stderr, "safeledger: role: `%s` is not one of %s\n", role_name ? role_name : "", list.data);
		buf_release(&list);
		return 1;
	}
	/* partners sign in to the pages as their agency: --agency, not --team */
	if ((role == ROLE_PARTNER) != (agency != NULL) || (role == ROLE_PARTNER && team)) {
		fprintf(stderr, "safeledger: agency: %s\n",
		        role == ROLE_PARTNER ? "a partner user needs --agency AGENCY (and no --team); an agency's "
		                               "system uses a token instead (`safeledger token add --agency AGENCY "
		                               "--name NAME`)"
		                             : "--agency is for partner users only (--role partner)");
		return 2;
	}
	if ((rc = read_password(login, password, sizeof(password))))
		return rc;
	if (role == ROLE_PARTNER ? auth_partner_add(a, login, agency, name, password, &err)
	                         : auth_user_add(a, login, (auth_role)role, team, name, password, &err))
		rc = cli_fail(&err);
	else if (agency)
		printf("added %s (%s, agency %s)\n", login, role_name, agency);
	else
		printf("added %s (%s%s%s)\n", login, role_name, team ? ", team " : "", team ? team : "");
	sodium_memzero(password, sizeof(password));
	return rc;
}

static int user_passwd(app *a, const char *login)
{
	char password[AUTH_MAX_PASSWORD + 2];
	auth_user u;
	sl_err err = {0};
	int rc;

	/* say so before asking, not after the password is typed twice */
	if (auth_user_get(a, login, &u, &err))
		return cli_fail(&err);
	if ((rc = read_password(login, password, sizeof(password))))
		return rc;
	if (auth_user_passwd(a, login, password, &err))
		rc = cli_fail(&err);
	else
		printf("changed the password of %s\n", login);
	sodium_memzero(password, sizeof(password));
	return rc;
}

static int print_user(void *ctx, const auth_user *u, sl_err *err)
{
	bool *as_json = ctx;
	(void)err;
	if (*as_json) {
		json_t *o = json_pack("{s:s, s:s, s:s?, s:s?, s:b}", "login", u->login, "role", auth_role_name(u->role),
		                      "team", u->team[0] ? u->team : NULL, "name", u->name[0] ? u->name : NULL,
		                      "disabled", u->disabled);
		char *s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
		puts(s);
		free(s);
		json_decref(o);
	} else {
		printf("%-24s %-15s %-20s %-9s %s\n", u->login, auth_role_name(u->role),
		       u->team[0] ? u->team : u->agency[0] ? u->agency : "-",
		       u->disabled ? "disabled" : "active", u->name);
	}
	return 0;
}

int cmd_user(int argc, char **argv)
{
	static const struct option opts[] = {CLI_COMMON_OPTIONS,
	                                     {"role", required_argument, NULL, 'R'},
	                                     {"team", required_argument, NULL, 't'},
	                                     {"agency", required_argument, NULL, 'a'},
	                                     {"name", required_argument, NULL, 'n'},
	                                     {"json", no_argument, NULL, 'j'},
	                                     {0}};
	const char *role = NULL, *team = NULL, *agency = NULL, *name = NULL, *sub, *login = NULL;
	bool as_json = false;
	cli_common c;
	sl_err err = {0};
	app *a = NULL;
	int opt, rc;

	cli_common_init(&c);
	while ((opt = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		if (cli_common_option(&c, opt, optarg, "user"))
			continue;
		switch (opt) {
		case 'R':
			role = optarg;
			break;
		case 't':
			team = optarg;
			break;
		case 'a':
			agency = optarg;
			break;
		case 'n':
			name = optarg;
			break;
		case 'j':
			as_json = true;
			break;
		default:
			return cli_usage_error("user", "unknown option");
		}
	}
	if (optind >= argc)
		return cli_usage_error("user", "give add, list, disable or passwd");
	sub = argv[optind++];
	if (strcmp(sub, "list") == 0) {
		if (optind != argc || role || team || name)
			return cli_usage_error("user", "`user list` takes only --json");
	} else if (strcmp(sub, "add") == 0) {
		if (optind + 1 != argc || !role || as_json)
			return cli_usage_error("user",
			                       "`user add` takes LOGIN --role ROLE [--team TEAM | --agency AGENCY] "
			                       "[--name NAME]");
		login = argv[optind];
	} else if (strcmp(sub, "disable") == 0 || strcmp(sub, "passwd") == 0) {
		if (optind + 1 != argc || role || team || name || as_json)
			return cli_usage_error("user", "`user %s` takes one LOGIN and nothing else", sub);
		login = argv[optind];
	} else {
		return cli_usage_error("user", "unknown `user %s`: give add, list, disable or passwd", sub);
	}
	if ((rc = cli_open(&c, strcmp(sub, "list") == 0, &a)))
		return rc;
	if (strcmp(sub, "list") == 0) {
		if (!as_json)
			printf("%-24s %-15s %-20s %-9s %s\n", "LOGIN", "ROLE", "TEAM", "STATE", "NAME");
		if (auth_user_list(a, print_user, &as_json, &err))
			rc = cli_fail(&err);
	} else if (strcmp(sub, "add") == 0) {
		rc = user_add(a, login, role, team, agency, name);
	} else if (strcmp(sub, "passwd") == 0) {
		rc = user_passwd(a, login);
	} else if (auth_user_disable(a, login, &err)) {
		rc = cli_fail(&err);
	} else {
		printf("disabled %s and ended their sessions\n", login);
	}
	app_close(a);
	return rc;
}
