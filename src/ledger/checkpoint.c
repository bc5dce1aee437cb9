/*
 * checkpoint.c - tlog-checkpoint bodies.  See checkpoint.h.
 *
 * The parser is strict because checkpoints are compared and gossiped: two
 * parsers that read one text differently (a size "08" versus "8", a root
 * with non-zero padding bits) could let one signed text mean two tree heads.
 * So there is exactly one accepted spelling of every (origin, size, root).
 */
#include "util/common.h"
#include "util/hex.h"
#include "ledger/checkpoint.h"

void checkpoint_format(buf *out, const char *origin, uint64_t size, const uint8_t root[32])
{
	assert(origin[0] != '\0' && !strchr(origin, '\n'));
	buf_printf(out, "%s\n%llu\n", origin, (unsigned long long)size);
	base64_encode(out, root, 32);
	buf_putc(out, '\n');
}

/* tlog-checkpoint "Note text" 2: ASCII decimal, no leading zeroes unless the
 * tree is empty. */
static int parse_size(const char *s, size_t len, uint64_t *out)
{
	uint64_t v = 0;
	size_t i;

	if (len == 0 || (len > 1 && s[0] == '0'))
		return -1;
	for (i = 0; i < len; i++) {
		unsigned d;
		if (s[i] < '0' || s[i] > '9')
			return -1;
		d = (unsigned)(s[i] - '0');
		if (v > (UINT64_MAX - d) / 10)
			return -1;
		v = v * 10 + d;
	}
	*out = v;
	return 0;
}

/* The line starting at *p (which must end in "\n" before end): sets *line
 * and *line_len (newline excluded) and moves *p past it.  -1 at the end. */
static int next_line(const char **p, const char *end, const char **line, size_t *line_len)
{
	const char *nl;

	if (*p >= end)
		return -1;
	nl = memchr(*p, '\n', (size_t)(end - *p));
	if (!nl)
		return -1;
	*line = *p;
	*line_len = (size_t)(nl - *p);
	*p = nl + 1;
	return 0;
}

int checkpoint_parse(const char *text, size_t len, checkpoint *out, sl_err *err)
{
	checkpoint c = CHECKPOINT_INIT;
	const char *p = text, *end = text + len, *line;
	size_t line_len;
	buf root = BUF_INIT;
	int rc = SL_EINVAL;

	*out = c;
	if (len == 0 || text[len - 1] != '\n') {
		sl_fail(err, rc, "checkpoint: text must end with a newline");
		goto done;
	}
	if (!note_text_valid(text, len)) {
		sl_fail(err, rc, "checkpoint: not UTF-8, or a control character other than newline");
		goto done;
	}
	if (next_line(&p, end, &line, &line_len) < 0 || line_len == 0) {
		sl_fail(err, rc, "checkpoint: the origin line is empty");
		goto done;
	}
	c.origin = xstrndup(line, line_len);
	if (next_line(&p, end, &line, &line_len) < 0) {
		sl_fail(err, rc, "checkpoint: missing the tree size line");
		goto done;
	}
	if (parse_size(line, line_len, &c.size) < 0) {
		sl_fail(err, rc,
			"checkpoint: tree size \"%.*s\" is not a decimal number without leading zeroes",
			(int)(line_len > 40 ? 40 : line_len), line);
		goto done;
	}
	if (next_line(&p, end, &line, &line_len) < 0) {
		sl_fail(err, rc, "checkpoint: missing the root hash line");
		goto done;
	}
	if (base64_decode(&root, line, line_len) != 0 || root.len != 32) {
		sl_fail(err, rc, "checkpoint: root hash is not base64 of 32 bytes");
		goto done;
	}
	memcpy(c.root, root.data, 32);
	if (p < end) {
		/* "Note text" 4: extension lines are opaque but MUST be non-empty. */
		const char *ext = p;
		while (next_line(&p, end, &line, &line_len) == 0) {
			if (line_len == 0) {
				sl_fail(err, rc, "checkpoint: empty extension line");
				goto done;
			}
		}
		c.extensions = xstrndup(ext, (size_t)(end - ext));
	}
	*out = c;
	c = (checkpoint)CHECKPOINT_INIT;
	rc = 0;
done:
	buf_release(&root);
	checkpoint_release(&c);
	return rc;
}

void checkpoint_release(checkpoint *c)
{
	free(c->origin);
	free(c->extensions);
	*c = (checkpoint)CHECKPOINT_INIT;
}

int checkpoint_sign(buf *out, const char *origin, uint64_t size, const uint8_t root[32],
		    const note_signer *signer, sl_err *err)
{
	buf text = BUF_INIT;
	int rc;

	checkpoint_format(&text, origin, size, root);
	rc = note_sign(text.data, text.len, signer, out, err);
	buf_release(&text);
	return rc;
}

int checkpoint_open(const char *msg, size_t len, const char *origin,
		    note_verifier *const *verifiers, size_t n_verifiers, checkpoint *out,
		    uint64_t *verified_mask, sl_err *err)
{
	checkpoint c = CHECKPOINT_INIT;
	size_t text_len;
	uint64_t mask;
	int rc;

	*out = c;
	rc = note_open(msg, len, verifiers, n_verifiers, &text_len, &mask, err);
	if (rc < 0)
		goto done;
	rc = checkpoint_parse(msg, text_len, &c, err);
	if (rc < 0)
		goto done;
	if (origin && strcmp(c.origin, origin) != 0) {
		rc = sl_fail(err, SL_EINVAL, "checkpoint is for log \"%s\", expected \"%s\"",
			     c.origin, origin);
		goto done;
	}
	if (verified_mask)
		*verified_mask = mask;
	*out = c;
	c = (checkpoint)CHECKPOINT_INIT;
done:
	checkpoint_release(&c);
	return rc;
}
