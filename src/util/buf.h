/*
 * buf.h - a growable byte buffer for all string building.
 *
 * Modelled on git's strbuf: BUF_INIT is a valid empty buffer, `data` is
 * always NUL-terminated (so it can be used as a C string when it holds
 * text), and buf_release() frees it.  The buffer owns `data`; buf_detach()
 * hands ownership to the caller.  Allocation failure aborts: a service that
 * cannot allocate a few bytes cannot do anything useful, and checking every
 * append would bury the real error paths.
 */
#ifndef SL_BUF_H
#define SL_BUF_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

typedef struct buf {
	char *data; /* never NULL after the first append; "" before */
	size_t len;
	size_t cap;
} buf;

#define BUF_INIT {NULL, 0, 0}

void buf_grow(buf *b, size_t extra);
void buf_append(buf *b, const void *data, size_t len);
void buf_puts(buf *b, const char *s);
void buf_putc(buf *b, char c);
void buf_printf(buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void buf_vprintf(buf *b, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));
void buf_append_hex(buf *b, const uint8_t *data, size_t len);
/* Append the rest of stream f to b: 0, or -1 on a read error or when it
 * holds more than max bytes (then b holds at least the first max). */
int buf_read_stream(buf *b, FILE *f, size_t max);
void buf_reset(buf *b);               /* len = 0, keeps the memory */
void buf_truncate(buf *b, size_t len);
const char *buf_str(const buf *b);    /* "" for an empty buffer */
char *buf_detach(buf *b);             /* caller frees; b is reset to empty */
void buf_release(buf *b);

/* Allocation helpers that abort on failure, for the same reason as above. */
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);

#endif
