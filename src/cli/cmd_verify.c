/*
 * cmd_verify.c - `safeledger verify`: recompute every leaf and root from
 * the stored rows and check every stored checkpoint with the instance's
 * public key.  Exit 0 with a one-line summary when intact; otherwise exit
 * 1 naming the first bad seq and what is wrong.  Both logs are checked:
 * the case ledger, then the access log (origin "<origin>/access", signed
 * with the same key), each on a line of its own.
 */
#include "util/common.h"
#include "cli/cli.h"
#include "ledger/verify.h"

#include <getopt.h>
#include <time.h>

int cmd_verify(int argc, char **argv)
{
	static const struct option opts[] = {CLI_COMMON_OPTIONS, {0}};
	note_verifier *v = NULL;
	verify_result res;
	struct timespec t0, t1;
	cli_common c;
	buf root = BUF_INIT;
	sl_err err = {0};
	app *a = NULL;
	double secs;
	int opt, rc;

	cli_common_init(&c);
	while ((opt = getopt_long(argc, argv, "h", opts, NULL)) != -1)
		if (!cli_common_option(&c, opt, optarg, "verify"))
			return cli_usage_error("verify", "unknown option");
	if (optind != argc)
		return cli_usage_error("verify", "unexpected argument `%s`", argv[optind]);
	if ((rc = cli_open(&c, true, &a)))
		return rc;
	if (note_verifier_parse(app_vkey(a), &v, &err)) {
		rc = cli_fail(&err);
		goto done;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (verify_log(app_store(a), STORE_LOG_CASES, v, app_origin(a), &res, NULL, NULL, &err)) {
		fprintf(stderr, "safeledger: verify FAILED: %s\n", err.msg);
		rc = 1;
		goto done;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	buf_append_hex(&root, res.root, 32);
	printf("ok: %llu events, %llu signed checkpoints verified, root %s (%.2fs)\n", (unsigned long long)res.events,
	       (unsigned long long)res.checkpoints, root.data, secs);
	{
		const char *origin;
		app_log(a, STORE_LOG_ACCESS, &origin);
		if (verify_log(app_store(a), STORE_LOG_ACCESS, v, origin, &res, NULL, NULL, &err)) {
			fprintf(stderr, "safeledger: verify FAILED: access log: %s\n", err.msg);
			rc = 1;
			goto done;
		}
		buf_reset(&root);
		buf_append_hex(&root, res.root, 32);
		printf("ok: access log: %llu entries, %llu signed checkpoints verified, root %s\n",
		       (unsigned long long)res.events, (unsigned long long)res.checkpoints, root.data);
	}
done:
	buf_release(&root);
	note_verifier_free(v);
	app_close(a);
	return rc;
}
