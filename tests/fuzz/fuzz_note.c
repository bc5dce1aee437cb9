/*
 * fuzz_note.c - libFuzzer target for the transparency-log parsers: signed
 * notes (parse and open with a real key), checkpoint bodies, tile paths and
 * dates.  Besides not crashing, a checkpoint that parses must format back
 * to the same bytes (the format is canonical), and a tile path that parses
 * must format back to itself.
 */
#include "util/common.h"
#include "ledger/checkpoint.h"
#include "ledger/note.h"
#include "ledger/tile_path.h"
#include "util/date.h"

static note_verifier *verifier;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *msg = (const char *)data;
	char *text = xstrndup(msg, size);
	note_parsed parsed;
	checkpoint cp = CHECKPOINT_INIT;
	size_t text_len;
	uint64_t mask, index;
	unsigned width;
	int level;
	sl_date date;
	sl_err err = {0};

	if (!verifier) {
		char *skey = NULL, *vkey = NULL;
		if (note_generate_key("fuzz.example/log", &skey, &vkey, &err) || note_verifier_parse(vkey, &verifier, &err))
			abort();
		free(skey);
		free(vkey);
	}
	if (note_parse(msg, size, &parsed, &err) == 0)
		note_parsed_release(&parsed);
	(void)note_open(msg, size, &verifier, 1, &text_len, &mask, &err);
	if (checkpoint_parse(msg, size, &cp, &err) == 0) {
		buf again = BUF_INIT;
		checkpoint_format(&again, cp.origin, cp.size, cp.root);
		if (cp.extensions)
			buf_puts(&again, cp.extensions);
		if (again.len != size || memcmp(again.data, msg, size) != 0)
			abort(); /* two byte strings for one checkpoint */
		buf_release(&again);
		checkpoint_release(&cp);
	}
	if (tile_path_parse(text, &level, &index, &width, &err) == 0) {
		buf again = BUF_INIT;
		tile_path_format(&again, level, index, width);
		if (strcmp(again.data + strlen("tile/"), text) != 0)
			abort();
		buf_release(&again);
	}
	(void)date_parse(text, &date, &err);
	free(text);
	return 0;
}
