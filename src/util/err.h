/*
 * err.h - the error a library call hands back to whoever shows it.
 *
 * Library code never prints.  A function that can fail returns 0 on success
 * or a negative SL_E* code, and fills the caller's sl_err with a message a
 * user can act on ("line 12: field `data.child`: unknown person C9").  The
 * CLI and HTTP layers decide how to show it.  The message lives inside the
 * struct, so an sl_err owns no heap memory and needs no free.
 */
#ifndef SL_ERR_H
#define SL_ERR_H

#include <stdarg.h>

enum {
	SL_OK = 0,
	SL_EINVAL = -1,    /* bad input: the user's data is wrong */
	SL_ENOTFOUND = -2, /* a named thing does not exist */
	SL_ECONFLICT = -3, /* the write contradicts the ledger's state */
	SL_EIO = -4,       /* the disk, the database or the OS failed */
	SL_ECORRUPT = -5,  /* stored data fails verification */
	SL_ENOMEM = -6,
	SL_EDENIED = -7, /* not allowed */
};

#define SL_ERR_MAX 512

typedef struct sl_err {
	int code;
	char msg[SL_ERR_MAX];
} sl_err;

/* Set err (may be NULL) and return code, so callers can `return sl_fail(...)`. */
int sl_fail(sl_err *err, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
int sl_vfail(sl_err *err, int code, const char *fmt, va_list ap) __attribute__((format(printf, 3, 0)));

/* Put "prefix: " in front of an existing message (e.g. the line number). */
void sl_err_prefix(sl_err *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

void sl_err_clear(sl_err *err);

#endif
