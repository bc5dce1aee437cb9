/*
 * cmd_annex_a.c - `safeledger annex-a --as-of DATE --out FILE.xlsx`:
 * Ofsted's Annex A lists as the record stood on DATE (report/annex_a.h,
 * docs/annex-a.md).
 *
 * The workbook is written to FILE.xlsx.tmp and renamed over FILE.xlsx only
 * once complete, so a bad date, a failed write or a crash never leaves a
 * partial workbook under the name an inspector will be sent.  The
 * libxlsxwriter row files go beside it (same file system, which the user
 * chose for its space).
 */
#include "util/common.h"
#include "cli/cli.h"
#include "report/annex_a.h"

#include <errno.h>
#include <getopt.h>
#include <libgen.h>
#include <unistd.h>

int cmd_annex_a(int argc, char **argv)
{
	static const struct option opts[] = {CLI_COMMON_OPTIONS, {"as-of", required_argument, NULL, 'a'},
	                                     {"out", required_argument, NULL, 'o'}, {0}};
	const char *as_of = NULL, *out = NULL;
	annex_a_opts o = {0};
	annex_a_result res = {0};
	buf tmp = BUF_INIT;
	char *dir_copy = NULL;
	cli_common c;
	sl_err err = {0};
	app *a = NULL;
	int opt, rc;
	size_t i;

	cli_common_init(&c);
	while ((opt = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		if (cli_common_option(&c, opt, optarg, "annex-a"))
			continue;
		if (opt == 'a')
			as_of = optarg;
		else if (opt == 'o')
			out = optarg;
		else
			return cli_usage_error("annex-a", "unknown option");
	}
	if (optind != argc)
		return cli_usage_error("annex-a", "unexpected argument `%s`", argv[optind]);
	if (!as_of)
		return cli_usage_error("annex-a", "--as-of DATE is required");
	if (!out || !*out)
		return cli_usage_error("annex-a", "--out FILE.xlsx is required");
	if ((rc = cli_open(&c, true, &a)))
		return rc;

	buf_printf(&tmp, "%s.tmp", out);
	dir_copy = xstrdup(out);
	o.as_of = as_of;
	o.as_of_name = "--as-of";
	o.tmpdir = dirname(dir_copy);
	if (access(o.tmpdir, W_OK)) {
		/* before the ledger is read, and naming the option, not the .tmp */
		sl_fail(&err, SL_EINVAL, "--out: cannot write in %s: %s", o.tmpdir, strerror(errno));
		rc = cli_fail(&err);
		goto done;
	}
	if (annex_a_write(a, &o, buf_str(&tmp), &res, &err)) {
		rc = cli_fail(&err);
		goto done;
	}
	if (rename(buf_str(&tmp), out)) {
		sl_fail(&err, SL_EIO, "%s: cannot rename %s into place: %s", out, buf_str(&tmp), strerror(errno));
		rc = cli_fail(&err);
		goto done;
	}
	for (i = 0; i < ANNEX_A_LISTS; i++)
		printf("%s\t%zu rows\n", annex_a_sheet_name(i), res.rows[i]);
	printf("%zu children listed, %llu events read; wrote %s\n", res.n_children,
	       (unsigned long long)res.events, out);
done:
	if (rc)
		unlink(buf_str(&tmp)); /* whatever part of the workbook was written */
	annex_a_result_free(&res);
	free(dir_copy);
	buf_release(&tmp);
	app_close(a);
	return rc;
}
