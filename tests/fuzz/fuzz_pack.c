/*
 * fuzz_pack.c - libFuzzer target for verify-pack's reader
 * (review_pack_verify), which parses untrusted zips, JSON lines, keys,
 * signed checkpoints and manifests.
 *
 * The input is tried twice: as a whole zip archive (libzip's reader and
 * the member checks: names, sizes, duplicates), and as the members of a
 * pack - the input split at "\n--\n" lines into manifest.json,
 * events.jsonl, proofs.jsonl, checkpoint.txt, key.txt, access.jsonl, ...
 * in the pack's order - zipped here, so that mutations reach the JSON
 * lines, key, checkpoint and manifest parsers rather than dying in the zip
 * format.  Besides not crashing: a failure must say why, and a pack that
 * verifies must report a checkpoint at least as large as its last seq.
 */
#include "util/common.h"
#include "report/review_pack.h"

#include <zip.h>

static const char *const names[] = {"manifest.json", "events.jsonl", "proofs.jsonl", "checkpoint.txt", "key.txt",
                                    "access.jsonl", "access-proofs.jsonl", "access-checkpoint.txt", "report.html"};

static void check(const void *data, size_t len)
{
	review_pack_result res;
	sl_err err = {0};
	if (review_pack_verify(data, len, &res, &err)) {
		if (!err.msg[0])
			abort(); /* a refusal that names nothing */
	} else if (res.events > res.cases_size || res.access > res.access_size) {
		abort();
	}
}

/* The members of a pack from the input, zipped in memory. */
static void as_members(const uint8_t *data, size_t size)
{
	zip_error_t ze;
	zip_source_t *src, *m;
	zip_t *z;
	zip_int64_t n;
	const char *p = (const char *)data, *cut;
	char *bytes = NULL;
	size_t i, off = 0, len;

	zip_error_init(&ze);
	if (!(src = zip_source_buffer_create(NULL, 0, 0, &ze)))
		abort();
	if (!(z = zip_open_from_source(src, ZIP_TRUNCATE, &ze)))
		abort();
	zip_source_keep(src);
	for (i = 0; i < SL_ARRAY_LEN(names) && off <= size; i++) {
		cut = memmem(p + off, size - off, "\n--\n", 4);
		len = cut ? (size_t)(cut - (p + off)) : size - off;
		if (!(m = zip_source_buffer(z, p + off, len, 0)) || zip_file_add(z, names[i], m, 0) < 0)
			abort();
		off += len + 4;
	}
	if (zip_close(z) < 0)
		abort();
	if (zip_source_open(src) == 0 && zip_source_seek(src, 0, SEEK_END) == 0 && (n = zip_source_tell(src)) >= 0 &&
	    zip_source_seek(src, 0, SEEK_SET) == 0) {
		bytes = xmalloc((size_t)n + 1);
		if (zip_source_read(src, bytes, (zip_uint64_t)n) == n)
			check(bytes, (size_t)n);
		zip_source_close(src);
	}
	free(bytes);
	zip_source_free(src);
	zip_error_fini(&ze);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	check(data, size);
	as_members(data, size);
	return 0;
}
