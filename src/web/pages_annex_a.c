/*
 * pages_annex_a.c - GET /reports/annex-a.xlsx?as_of=YYYY-MM-DD: Ofsted's
 * Annex A workbook (report/annex_a.h, docs/annex-a.md) for the data
 * officer and the director, who hand it to the inspectors (there is no
 * inspector role: inspectors get the file, not an account).
 *
 * The workbook lists children, so every child named in it is recorded in
 * the access log under this route before a byte is sent, as a page that
 * shows one child's record records that child: who took the lists, and
 * when, is then part of each child's "who read my record".
 *
 * libxlsxwriter writes to a file, so the workbook is made in a private
 * temporary file (mkstemp, mode 0600), read back into the response and
 * the file removed at once; a refused request leaves nothing behind.
 */
#include "util/common.h"
#include "web/pages.h"
#include "web/layout.h"
#include "report/annex_a.h"

#include <unistd.h>

#define ANNEX_A_ROUTE "GET /reports/annex-a.xlsx"
#define XLSX_TYPE "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
#define ANNEX_A_MAX_BYTES ((size_t)1 << 30)

static int read_back(const char *path, buf *out, sl_err *err)
{
	FILE *f = fopen(path, "rb");
	int rc;
	if (!f)
		return sl_fail(err, SL_EIO, "the workbook cannot be read back");
	rc = buf_read_stream(out, f, ANNEX_A_MAX_BYTES);
	fclose(f);
	return rc ? sl_fail(err, SL_EIO, "the workbook cannot be read back") : 0;
}

int page_annex_a(http_req *r, http_resp *w)
{
	const char *as_of = http_query(r, "as_of");
	const char *tmp_dir = getenv("TMPDIR");
	annex_a_opts o = {as_of, "as_of", NULL};
	annex_a_result res = {0};
	buf path = BUF_INIT, disposition = BUF_INIT;
	sl_err err = {0};
	bool made = false;
	int fd, rc;

	if (!as_of) {
		sl_fail(&err, SL_EINVAL, "as_of: give the date the lists are as of (YYYY-MM-DD)");
		return page_error_err(r, w, &err);
	}
	buf_printf(&path, "%s/safeledger-annex-a-XXXXXX", tmp_dir && *tmp_dir ? tmp_dir : "/tmp");
	if ((fd = mkstemp(path.data)) < 0) {
		sl_fail(&err, SL_EIO, "no temporary file for the workbook");
		rc = page_error_err(r, w, &err);
		goto done;
	}
	close(fd);
	made = true;
	if (annex_a_write(r->a, &o, buf_str(&path), &res, &err) || read_back(buf_str(&path), &w->body, &err) ||
	    http_record_access(r, (const char *const *)res.children, res.n_children, ANNEX_A_ROUTE, NULL, &err)) {
		buf_reset(&w->body);
		rc = page_error_err(r, w, &err);
		goto done;
	}
	w->status = 200;
	w->content_type = XLSX_TYPE;
	/* as_of parsed as a date, so it is safe in the header */
	buf_printf(&disposition, "attachment; filename=\"annex-a-%s.xlsx\"", as_of);
	http_resp_header(w, "Content-Disposition", buf_str(&disposition));
	rc = 200;
done:
	if (made)
		unlink(buf_str(&path));
	annex_a_result_free(&res);
	buf_release(&disposition);
	buf_release(&path);
	return rc;
}
