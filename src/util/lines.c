/*
 * lines.c - bounded line reading.  See lines.h.
 */
#include "util/common.h"
#include "util/lines.h"

#define CHUNK (64 * 1024)

void lines_init(line_reader *r, FILE *in, size_t max)
{
	memset(r, 0, sizeof(*r));
	r->in = in;
	r->max = max;
	r->chunk = xmalloc(CHUNK);
}

void lines_release(line_reader *r)
{
	buf_release(&r->line);
	free(r->chunk);
	r->chunk = NULL;
}

int lines_next(line_reader *r, const char **line, size_t *len)
{
	buf_reset(&r->line);
	for (;;) {
		if (r->chunk_pos == r->chunk_len) {
			if (r->eof)
				break;
			r->chunk_len = fread(r->chunk, 1, CHUNK, r->in);
			r->chunk_pos = 0;
			if (r->chunk_len == 0) {
				r->eof = 1;
				if (ferror(r->in))
					return -1;
				break;
			}
		}
		char *start = r->chunk + r->chunk_pos;
		size_t avail = r->chunk_len - r->chunk_pos;
		char *nl = memchr(start, '\n', avail);
		size_t take = nl ? (size_t)(nl - start) : avail;

		if (r->line.len + take > r->max) {
			r->lineno++;
			return -1;
		}
		buf_append(&r->line, start, take);
		r->chunk_pos += take + (nl ? 1 : 0);
		r->bytes += take + (nl ? 1 : 0);
		if (nl)
			goto got_line;
	}
	if (r->line.len == 0)
		return 0; /* clean end, or a final newline */
got_line:
	r->lineno++;
	if (r->line.len && r->line.data[r->line.len - 1] == '\r')
		buf_truncate(&r->line, r->line.len - 1);
	*line = buf_str(&r->line);
	*len = r->line.len;
	return 1;
}
