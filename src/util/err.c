/*
 * err.c - filling an sl_err.  See err.h.
 */
#include "util/common.h"

int sl_vfail(sl_err *err, int code, const char *fmt, va_list ap)
{
	if (err) {
		err->code = code;
		vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	}
	return code;
}

int sl_fail(sl_err *err, int code, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	sl_vfail(err, code, fmt, ap);
	va_end(ap);
	return code;
}

void sl_err_prefix(sl_err *err, const char *fmt, ...)
{
	buf b = BUF_INIT;
	va_list ap;
	size_t n;

	if (!err)
		return;
	va_start(ap, fmt);
	buf_vprintf(&b, fmt, ap);
	va_end(ap);
	buf_puts(&b, ": ");
	buf_puts(&b, err->msg);
	n = b.len < sizeof(err->msg) - 1 ? b.len : sizeof(err->msg) - 1;
	memcpy(err->msg, b.data, n);
	err->msg[n] = '\0';
	buf_release(&b);
}

void sl_err_clear(sl_err *err)
{
	if (err) {
		err->code = 0;
		err->msg[0] = '\0';
	}
}
