/*
 * assets.c - GET /assets/{path*}: the pages' static files, from the
 * directory given to `serve --assets DIR` (server.h, assets_dir).
 *
 * A path is looked up, in order, under
 *   DIR/web/static/                             our own app.css and app.js
 *   DIR/node_modules/govuk-frontend/dist/govuk/  govuk-frontend.min.css, .min.js
 *   DIR/node_modules/govuk-frontend/dist/govuk/assets/  fonts/, images/, rebrand/
 * (the last because the compiled CSS asks for /assets/fonts/... and
 * /assets/images/...).  Only the file types a page needs are served, each
 * with its Content-Type and a year-long cache (the pages link the CSS and
 * JS with ?v=VERSION).
 *
 * Safe by construction rather than by filtering afterwards: every segment
 * must be plain ([A-Za-z0-9_-] and dots, not starting with a dot, so no
 * "..", no hidden files), and the file's real path (symlinks resolved)
 * must lie inside the real path of the directory it was looked up in, and
 * be a regular file.  Anything else is 404.
 */
#include "util/common.h"
#include "web/pages.h"
#include "web/layout.h"
#include "http/server.h"

#include <errno.h>
#include <limits.h>
#include <sys/stat.h>

#define ASSET_MAX_BYTES (8u * 1024 * 1024)

static const struct {
	const char *ext, *type;
} types[] = {
	{".css", "text/css; charset=utf-8"},
	{".js", "text/javascript; charset=utf-8"},
	{".mjs", "text/javascript; charset=utf-8"},
	{".woff2", "font/woff2"},
	{".woff", "font/woff"},
	{".png", "image/png"},
	{".svg", "image/svg+xml"},
	{".ico", "image/x-icon"},
	{".json", "application/json"},
};

static const char *const bases[] = {
	"web/static",
	"node_modules/govuk-frontend/dist/govuk",
	"node_modules/govuk-frontend/dist/govuk/assets",
};

static const char *content_type(const char *path)
{
	size_t n = strlen(path);
	for (size_t i = 0; i < SL_ARRAY_LEN(types); i++) {
		size_t e = strlen(types[i].ext);
		if (n > e && strcmp(path + n - e, types[i].ext) == 0)
			return types[i].type;
	}
	return NULL;
}

/* Segments of [A-Za-z0-9._-], none empty or starting with '.'. */
static bool path_plain(const char *p)
{
	bool start = true;

	if (!*p || strlen(p) > 255)
		return false;
	for (; *p; p++) {
		if (*p == '/') {
			if (start)
				return false;
			start = true;
			continue;
		}
		if (start && *p == '.')
			return false;
		if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '.' ||
		      *p == '_' || *p == '-'))
			return false;
		start = false;
	}
	return !start;
}

/* Read root/base/path into out when its real path lies in root/base's. */
static int read_under(const char *root, const char *base, const char *path, buf *out)
{
	char real_base[PATH_MAX], real_file[PATH_MAX];
	buf dir = BUF_INIT, file = BUF_INIT;
	struct stat st;
	FILE *f = NULL;
	size_t len;
	int rc = SL_ENOTFOUND;

	buf_printf(&dir, "%s/%s", root, base);
	buf_printf(&file, "%s/%s", dir.data, path);
	if (!realpath(dir.data, real_base) || !realpath(file.data, real_file))
		goto done;
	len = strlen(real_base);
	if (strncmp(real_file, real_base, len) != 0 || real_file[len] != '/')
		goto done; /* a symlink out of the directory */
	if (!(f = fopen(real_file, "re")) || fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode) ||
	    (size_t)st.st_size > ASSET_MAX_BYTES)
		goto done;
	buf_grow(out, (size_t)st.st_size);
	rc = buf_read_stream(out, f, ASSET_MAX_BYTES) ? SL_EIO : 0; /* also one that grew past the limit */
done:
	if (f)
		fclose(f);
	buf_release(&dir);
	buf_release(&file);
	return rc;
}

int page_asset(http_req *r, http_resp *w)
{
	const char *root = http_server_assets_dir(r->server), *path = r->params[0], *type;
	size_t i;

	if (!root || !path || !path_plain(path) || !(type = content_type(path)))
		return page_error(r, w, 404, "There is no such file.");
	for (i = 0; i < SL_ARRAY_LEN(bases); i++) {
		buf_reset(&w->body);
		if (read_under(root, bases[i], path, &w->body) == 0) {
			w->status = 200;
			w->content_type = type;
			http_resp_header(w, "Cache-Control", "public, max-age=31536000, immutable");
			return 200;
		}
	}
	buf_reset(&w->body);
	return page_error(r, w, 404, "There is no such file.");
}
