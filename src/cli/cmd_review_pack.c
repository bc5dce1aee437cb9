/*
 * cmd_review_pack.c - `safeledger review-pack --child ID [--from DATE --to
 * DATE] --out FILE.zip`: the review pack of one child (report/review_pack.h,
 * docs/review-pack.md), and `safeledger verify-pack FILE.zip`, which checks
 * a pack offline, without the database.
 *
 * review-pack first signs a checkpoint of each log that grew since its last
 * one (as `checkpoint` does), so the pack covers everything recorded.  The
 * zip is written to FILE.zip.tmp and renamed into place only when whole, so
 * a refused or failed pack leaves no file behind.
 */
#include "util/common.h"
#include "cli/cli.h"
#include "report/review_pack.h"

#include <errno.h>
#include <getopt.h>
#include <unistd.h>

/* The largest zip verify-pack reads: every member at its limit would be
 * more, but a real pack is far smaller. */
#define PACK_FILE_MAX ((size_t)1 << 30)

int cmd_review_pack(int argc, char **argv)
{
	static const struct option opts[] = {CLI_COMMON_OPTIONS,
	                                     {"child", required_argument, NULL, 'c'},
	                                     {"from", required_argument, NULL, 'f'},
	                                     {"to", required_argument, NULL, 't'},
	                                     {"out", required_argument, NULL, 'o'},
	                                     {0}};
	review_pack_opts o = {0};
	review_pack_stats st = {0};
	const char *out = NULL;
	buf zip = BUF_INIT;
	cli_common c;
	sl_err err = {0};
	app *a = NULL;
	int opt, rc;

	cli_common_init(&c);
	while ((opt = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		if (cli_common_option(&c, opt, optarg, "review-pack"))
			continue;
		if (opt == 'c')
			o.child = optarg;
		else if (opt == 'f')
			o.from = optarg;
		else if (opt == 't')
			o.to = optarg;
		else if (opt == 'o')
			out = optarg;
		else
			return cli_usage_error("review-pack", "unknown option");
	}
	if (!o.child || !out || optind != argc)
		return cli_usage_error("review-pack", "give --child ID and --out FILE.zip");
	o.generated_by = cli_recorder();
	if ((rc = cli_open(&c, false, &a)))
		return rc;
	if (review_pack_check(a, &o, &err) || app_checkpoint_log(a, STORE_LOG_CASES, true, NULL, &err) ||
	    app_checkpoint_log(a, STORE_LOG_ACCESS, true, NULL, &err) || review_pack_build(a, &o, &zip, &st, &err) ||
	    cli_write_file(out, &zip, &err)) {
		rc = cli_fail(&err);
		goto done;
	}
	printf("wrote %s: %llu events (ledger checkpoint %llu), %llu reads (access checkpoint %llu), %zu bytes\n", out,
	       (unsigned long long)st.events, (unsigned long long)st.cases_size, (unsigned long long)st.access,
	       (unsigned long long)st.access_size, st.zip_bytes);
done:
	buf_release(&zip);
	app_close(a);
	return rc;
}

static void print_root(const uint8_t root[32])
{
	size_t i;
	for (i = 0; i < 32; i++)
		printf("%02x", root[i]);
}

int cmd_verify_pack(int argc, char **argv)
{
	static const struct option opts[] = {{"help", no_argument, NULL, 'h'}, {0}};
	review_pack_result res;
	buf zip = BUF_INIT;
	sl_err err = {0};
	FILE *f;
	int opt, rc = 0;

	while ((opt = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		if (opt == 'h') {
			cli_print_usage("verify-pack", stdout);
			return 0;
		}
		return cli_usage_error("verify-pack", "unknown option");
	}
	if (optind + 1 != argc)
		return cli_usage_error("verify-pack", "give one FILE.zip");
	if (!(f = fopen(argv[optind], "rb"))) {
		sl_fail(&err, SL_EIO, "cannot open %s: %s", argv[optind], strerror(errno));
		return cli_fail(&err);
	}
	if (buf_read_stream(&zip, f, PACK_FILE_MAX)) {
		sl_fail(&err, SL_EINVAL, "%s: cannot be read, or is larger than %zu bytes", argv[optind], PACK_FILE_MAX);
		rc = cli_fail(&err);
	}
	fclose(f);
	if (rc == 0 && review_pack_verify(zip.data, zip.len, &res, &err)) {
		fprintf(stderr, "safeledger: %s: %s\n", argv[optind], err.msg);
		rc = 1;
	}
	if (rc == 0) {
		printf("pack OK: %llu events, checkpoint size %llu, root ", (unsigned long long)res.events,
		       (unsigned long long)res.cases_size);
		print_root(res.cases_root);
		printf("\naccess log: %llu reads, checkpoint size %llu, root ", (unsigned long long)res.access,
		       (unsigned long long)res.access_size);
		print_root(res.access_root);
		printf("\nchild %s\n", res.child);
	}
	buf_release(&zip);
	return rc;
}
