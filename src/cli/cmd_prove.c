/*
 * cmd_prove.c - `safeledger prove`: inclusion and consistency proofs
 * (RFC 9162 2.1.3 and 2.1.4), as text or JSON.
 *
 * The default tree size is the latest signed checkpoint's, so a proof
 * printed here checks against a root someone can hold us to.  `--log
 * access` proves entries of the access log instead of the case ledger.
 */
#include "util/common.h"
#include "cli/cli.h"
#include "ledger/checkpoint.h"

#include <getopt.h>

static void print_hash_list(buf *out, const uint8_t *path, size_t n)
{
	size_t i;
	buf_putc(out, '[');
	for (i = 0; i < n; i++) {
		buf_puts(out, i ? ",\"" : "\"");
		buf_append_hex(out, path + 32 * i, 32);
		buf_putc(out, '"');
	}
	buf_putc(out, ']');
}

static int proof_log = STORE_LOG_CASES; /* --log */

static ledger *proof_ledger(app *a)
{
	return app_log(a, proof_log, NULL);
}

static int latest_size(app *a, uint64_t *size, sl_err *err)
{
	char *note = NULL;
	int rc = store_checkpoint_latest(app_store(a), proof_log, size, &note, err);
	free(note);
	return rc;
}

static int prove_inclusion(app *a, uint64_t seq, uint64_t size, bool have_size, bool json)
{
	uint8_t *path = NULL, leaf[32], root[32];
	size_t n = 0, i;
	buf out = BUF_INIT;
	sl_err err = {0};
	int rc = 0;

	if (!have_size && latest_size(a, &size, &err))
		return cli_fail(&err);
	if (seq > size && !have_size) {
		fprintf(stderr,
		        "safeledger: seq %llu is not covered by the latest checkpoint (size %llu); run `safeledger "
		        "checkpoint` or give --size\n",
		        (unsigned long long)seq, (unsigned long long)size);
		return 1;
	}
	if (ledger_inclusion_proof(proof_ledger(a), seq, size, &path, &n, &err) ||
	    ledger_leaf_hash(proof_ledger(a), seq, leaf, &err) || ledger_root(proof_ledger(a), size, root, &err)) {
		rc = cli_fail(&err);
		goto done;
	}
	if (json) {
		buf_printf(&out, "{\"seq\":%llu,\"tree_size\":%llu,\"leaf_index\":%llu,\"leaf_hash\":\"",
		           (unsigned long long)seq, (unsigned long long)size, (unsigned long long)(seq - 1));
		buf_append_hex(&out, leaf, 32);
		buf_puts(&out, "\",\"root\":\"");
		buf_append_hex(&out, root, 32);
		buf_puts(&out, "\",\"path\":");
		print_hash_list(&out, path, n);
		buf_puts(&out, "}\n");
	} else {
		buf_printf(&out, "seq %llu (leaf index %llu) in tree size %llu\nleaf hash ", (unsigned long long)seq,
		           (unsigned long long)(seq - 1), (unsigned long long)size);
		buf_append_hex(&out, leaf, 32);
		buf_puts(&out, "\nroot      ");
		buf_append_hex(&out, root, 32);
		buf_putc(&out, '\n');
		for (i = 0; i < n; i++) {
			buf_printf(&out, "path[%zu]  ", i);
			buf_append_hex(&out, path + 32 * i, 32);
			buf_putc(&out, '\n');
		}
	}
	fputs(out.data, stdout);
done:
	free(path);
	buf_release(&out);
	return rc;
}

static int prove_consistency(app *a, uint64_t from, uint64_t to, bool json)
{
	uint8_t *path = NULL, r1[32], r2[32];
	size_t n = 0, i;
	buf out = BUF_INIT;
	sl_err err = {0};
	int rc = 0;

	if (ledger_consistency_proof(proof_ledger(a), from, to, &path, &n, &err) ||
	    ledger_root(proof_ledger(a), from, r1, &err) || ledger_root(proof_ledger(a), to, r2, &err)) {
		rc = cli_fail(&err);
		goto done;
	}
	if (json) {
		buf_printf(&out, "{\"from\":%llu,\"to\":%llu,\"path\":", (unsigned long long)from, (unsigned long long)to);
		print_hash_list(&out, path, n);
		buf_puts(&out, "}\n");
	} else {
		buf_printf(&out, "consistency of tree size %llu with %llu\nroot %llu  ", (unsigned long long)from,
		           (unsigned long long)to, (unsigned long long)from);
		buf_append_hex(&out, r1, 32);
		buf_printf(&out, "\nroot %llu  ", (unsigned long long)to);
		buf_append_hex(&out, r2, 32);
		buf_putc(&out, '\n');
		for (i = 0; i < n; i++) {
			buf_printf(&out, "path[%zu]  ", i);
			buf_append_hex(&out, path + 32 * i, 32);
			buf_putc(&out, '\n');
		}
	}
	fputs(out.data, stdout);
done:
	free(path);
	buf_release(&out);
	return rc;
}

int cmd_prove(int argc, char **argv)
{
	static const struct option opts[] = {CLI_COMMON_OPTIONS,
	                                     {"size", required_argument, NULL, 's'},
	                                     {"from", required_argument, NULL, 'f'},
	                                     {"to", required_argument, NULL, 't'},
	                                     {"json", no_argument, NULL, 'j'},
	                                     {"log", required_argument, NULL, 'l'},
	                                     {0}};
	uint64_t size = 0, from = 0, to = 0, seq = 0;
	bool have_size = false, have_from = false, have_to = false, json = false;
	cli_common c;
	app *a = NULL;
	int opt, rc;

	cli_common_init(&c);
	while ((opt = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		if (cli_common_option(&c, opt, optarg, "prove"))
			continue;
		switch (opt) {
		case 's': have_size = true; if (cli_parse_u64(optarg, &size)) goto bad_number; break;
		case 'f': have_from = true; if (cli_parse_u64(optarg, &from)) goto bad_number; break;
		case 't': have_to = true; if (cli_parse_u64(optarg, &to)) goto bad_number; break;
		case 'j': json = true; break;
		case 'l':
			if ((proof_log = cli_parse_log(optarg)) < 0)
				return cli_usage_error("prove", "--log: `%s` is not cases or access", optarg);
			break;
		default: return cli_usage_error("prove", "unknown option");
		}
	}
	if (have_from || have_to) {
		if (!have_from || !have_to || optind != argc || have_size)
			return cli_usage_error("prove", "a consistency proof takes --from M --to N and nothing else");
	} else if (optind + 1 != argc || cli_parse_u64(argv[optind], &seq) || seq == 0) {
		return cli_usage_error("prove", "give the SEQ (a positive number) to prove");
	}
	if ((rc = cli_open(&c, true, &a)))
		return rc;
	rc = (have_from || have_to) ? prove_consistency(a, from, to, json)
	                            : prove_inclusion(a, seq, size, have_size, json);
	app_close(a);
	return rc;
bad_number:
	return cli_usage_error("prove", "`%s` is not a number", optarg);
}
