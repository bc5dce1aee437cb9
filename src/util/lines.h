/*
 * lines.h - reading newline-terminated lines with a hard length limit.
 *
 * getline() would happily allocate 2 GB for a 2 GB line; an import must
 * instead refuse such a line after reading at most `max` bytes of it, so a
 * hostile or broken file cannot exhaust memory.  The reader owns its
 * buffer; a returned line is valid until the next call.
 */
#ifndef SL_LINES_H
#define SL_LINES_H

#include <stdio.h>

#include "util/buf.h"

typedef struct line_reader {
	FILE *in;
	size_t max;
	buf line;
	char *chunk;
	size_t chunk_len, chunk_pos;
	unsigned long long lineno;
	unsigned long long bytes; /* consumed so far */
	int eof;
} line_reader;

void lines_init(line_reader *r, FILE *in, size_t max);
/* 1 with *line and *len set (no newline, trailing \r removed); 0 at end of
 * input; -1 when the line exceeds max (r->lineno names it) or on a read
 * error (ferror(r->in) tells which). */
int lines_next(line_reader *r, const char **line, size_t *len);
void lines_release(line_reader *r);

#endif
