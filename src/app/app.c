/*
 * app.c - opening and creating an instance.  See app.h.
 *
 * An instance is a store plus a signing key.  The key file holds the C2SP
 * signed-note private key ("PRIVATE+KEY+..."); it is created 0600 with
 * O_EXCL so `init` never overwrites a key, and it is read only when
 * something is signed, so read-only commands work without it.
 */
#include "util/common.h"
#include "app/app_internal.h"
#include "ledger/note.h"
#include "util/date.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

store *app_store(app *a) { return a->store; }
ledger *app_ledger(app *a) { return a->ledger; }
ledger *app_access_ledger(app *a) { return a->access; }
const char *app_origin(const app *a) { return a->origin; }
const char *app_vkey(const app *a) { return a->vkey; }
const rules_config *app_rules_config(const app *a) { return a->rules_cfg; }

static char *key_path_for(const app_options *o)
{
	buf b = BUF_INIT;
	if (o->key_path)
		return xstrdup(o->key_path);
	buf_printf(&b, "%s.key", o->db);
	return buf_detach(&b);
}

static int write_key_file(const char *path, const char *skey, sl_err *err)
{
	size_t len = strlen(skey);
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	int rc = 0;

	if (fd < 0)
		return sl_fail(err, SL_EIO, "%s: cannot create the signing key: %s", path, strerror(errno));
	if (write(fd, skey, len) != (ssize_t)len || write(fd, "\n", 1) != 1 || fsync(fd) != 0)
		rc = sl_fail(err, SL_EIO, "%s: cannot write the signing key: %s", path, strerror(errno));
	close(fd);
	if (rc)
		unlink(path);
	return rc;
}

int app_load_signer(app *a, sl_err *err)
{
	char text[1024];
	struct stat st;
	FILE *f;
	size_t n;
	int rc;

	if (a->signer)
		return 0;
	f = fopen(a->key_path, "re");
	if (!f)
		return sl_fail(err, SL_EIO, "%s: cannot read the signing key: %s", a->key_path, strerror(errno));
	if (fstat(fileno(f), &st) == 0 && (st.st_mode & 077)) {
		fclose(f);
		return sl_fail(err, SL_EDENIED, "%s: the signing key is readable by others (mode %03o); chmod 600 it",
		               a->key_path, (unsigned)(st.st_mode & 0777));
	}
	n = fread(text, 1, sizeof(text) - 1, f);
	fclose(f);
	text[n] = '\0';
	while (n > 0 && (text[n - 1] == '\n' || text[n - 1] == '\r'))
		text[--n] = '\0';
	rc = note_signer_parse(text, &a->signer, err);
	memset(text, 0, sizeof(text));
	if (rc) {
		sl_err_prefix(err, "%s", a->key_path);
		return rc;
	}
	return 0;
}

int app_init(const app_options *o, const char *origin, sl_err *err)
{
	char *skey = NULL, *vkey = NULL, *existing = NULL;
	app *a = NULL;
	store *s = NULL;
	int rc;

	if ((rc = store_open(o->db, STORE_CREATE, &s, err)))
		goto done;
	if (store_meta_get(s, "origin", &existing, NULL) == 0) {
		rc = sl_fail(err, SL_ECONFLICT, "%s is already initialised (origin `%s`)", o->db, existing);
		goto done;
	}
	if ((rc = note_generate_key(origin, &skey, &vkey, err)))
		goto done;
	{
		char *path = key_path_for(o);
		rc = write_key_file(path, skey, err);
		free(path);
		if (rc)
			goto done;
	}
	if ((rc = store_begin(s, err)))
		goto done;
	if ((rc = store_meta_put(s, "origin", origin, err)) || (rc = store_meta_put(s, "vkey", vkey, err)) ||
	    (rc = store_commit(s, err))) {
		store_rollback(s);
		goto done;
	}
	store_close(s);
	s = NULL;
	if ((rc = app_open(o, &a, err)))
		goto done;
	if (!(rc = app_checkpoint(a, true, NULL, err)))
		rc = app_checkpoint_log(a, STORE_LOG_ACCESS, true, NULL, err);
done:
	if (skey)
		memset(skey, 0, strlen(skey));
	free(skey);
	free(vkey);
	free(existing);
	app_close(a);
	store_close(s);
	return rc;
}

/* The rules configuration is read at start, so a bad one stops the
 * program before anything is written. */
static int open_rules(app *a, const app_options *o, sl_err *err)
{
	a->today = INT32_MIN;
	if (o->today && date_parse_day(o->today, &a->today, err))
		return sl_fail(err, SL_EINVAL, "today: `%s` is not a date (YYYY-MM-DD)", o->today);
	a->rules_config_path = o->rules_config ? xstrdup(o->rules_config) : NULL;
	return rules_config_load(o->rules_config, &a->rules_cfg, err);
}

int app_open_memory(const app_options *o, app **out, sl_err *err)
{
	app *a = xcalloc(1, sizeof(*a));
	char *skey = NULL;
	int rc;

	*out = NULL;
	a->key_path = xstrdup("(memory)");
	/* SQLite's private temporary database (""): in memory while it fits
	 * the page cache, spilled to a deleted file beyond that, so a replay
	 * of millions of events does not need gigabytes of RAM. */
	if ((rc = store_open("", STORE_CREATE | STORE_SCRATCH, &a->store, err)) ||
	    (rc = note_generate_key("replay/safeledger", &skey, &a->vkey, err)) ||
	    (rc = note_signer_parse(skey, &a->signer, err)))
		goto fail;
	a->origin = xstrdup("replay/safeledger");
	a->access_origin = xstrdup("replay/safeledger/access");
	if ((rc = store_begin(a->store, err)))
		goto fail;
	if ((rc = store_meta_put(a->store, "origin", a->origin, err)) ||
	    (rc = store_meta_put(a->store, "vkey", a->vkey, err)) || (rc = store_commit(a->store, err))) {
		store_rollback(a->store);
		goto fail;
	}
	if ((rc = ledger_open(a->store, STORE_LOG_CASES, &a->ledger, err)) ||
	    (rc = ledger_open(a->store, STORE_LOG_ACCESS, &a->access, err)) || (rc = open_rules(a, o, err)))
		goto fail;
	if (o->rules_only)
		a->lean = app_lean_new();
	*out = a;
	goto done;
fail:
	app_close(a);
done:
	if (skey)
		memset(skey, 0, strlen(skey));
	free(skey);
	return rc;
}

/* A database upgraded from a schema without the read model gets it
 * derived from its ledger once, on the first writable open. */
static int refresh_projections(app *a, sl_err *err)
{
	app_rebuild_stats stats;
	char *stale = NULL;
	int rc = 0;

	if (store_meta_get(a->store, "projections_stale", &stale, NULL) == 0 && strcmp(stale, "1") == 0)
		rc = app_rebuild(a, &stats, err);
	free(stale);
	return rc;
}

int app_open(const app_options *o, app **out, sl_err *err)
{
	app *a = xcalloc(1, sizeof(*a));
	int rc;

	*out = NULL;
	a->key_path = key_path_for(o);
	if ((rc = store_open(o->db, (o->readonly ? STORE_READONLY : 0) | (o->small_cache ? STORE_SMALL_CACHE : 0),
	                     &a->store, err)))
		goto fail;
	if ((rc = store_meta_get(a->store, "origin", &a->origin, err)) ||
	    (rc = store_meta_get(a->store, "vkey", &a->vkey, err))) {
		rc = sl_fail(err, SL_EINVAL, "%s is not a safeledger instance (run `safeledger init`)", o->db);
		goto fail;
	}
	{
		buf p = BUF_INIT;
		buf_printf(&p, "%s/access", a->origin);
		a->access_origin = buf_detach(&p);
	}
	if ((rc = ledger_open(a->store, STORE_LOG_CASES, &a->ledger, err)) ||
	    (rc = ledger_open(a->store, STORE_LOG_ACCESS, &a->access, err)) ||
	    (rc = open_rules(a, o, err)) || (!o->readonly && (rc = refresh_projections(a, err))))
		goto fail;
	if (!o->readonly) {
		buf p = BUF_INIT;
		buf_printf(&p, "%s.rules", o->db);
		a->snapshot_path = buf_detach(&p);
	}
	*out = a;
	return 0;
fail:
	app_close(a);
	return rc;
}

void app_close(app *a)
{
	if (!a)
		return;
	app_rules_save(a);
	free(a->snapshot_path);
	app_lean_free(a->lean);
	rules_free(a->rules);
	rules_config_free(a->rules_cfg);
	free(a->rules_config_path);
	ledger_close(a->ledger);
	ledger_close(a->access);
	free(a->access_origin);
	store_close(a->store);
	note_signer_free(a->signer);
	free(a->origin);
	free(a->vkey);
	free(a->key_path);
	buf_release(&a->canon);
	free(a);
}

ledger *app_log(app *a, int log, const char **origin)
{
	if (log == STORE_LOG_CASES || log == STORE_LOG_ACCESS) {
		if (origin)
			*origin = log == STORE_LOG_CASES ? a->origin : a->access_origin;
		return log == STORE_LOG_CASES ? a->ledger : a->access;
	}
	return NULL;
}

int app_checkpoint(app *a, bool sign_if_stale, char **note, sl_err *err)
{
	return app_checkpoint_log(a, STORE_LOG_CASES, sign_if_stale, note, err);
}

/* Both logs are signed with the instance's one key (its name is the
 * case log's origin); the access log's checkpoints say "<origin>/access"
 * on their first line, so one log's checkpoint is never taken for the
 * other's. */
int app_checkpoint_log(app *a, int log, bool sign_if_stale, char **note, sl_err *err)
{
	const char *origin;
	ledger *l = app_log(a, log, &origin);
	uint64_t size = 0;
	char *latest = NULL;
	int rc;

	*(note ? note : &latest) = NULL;
	if (!l)
		return sl_fail(err, SL_EINVAL, "no log %d", log);
	rc = store_checkpoint_latest(a->store, log, &size, &latest, err);
	if (rc && rc != SL_ENOTFOUND)
		return rc;
	if (sign_if_stale && (rc == SL_ENOTFOUND || size < ledger_size(l))) {
		free(latest);
		latest = NULL;
		if ((rc = app_load_signer(a, err)) || (rc = store_begin(a->store, err)))
			return rc;
		if ((rc = ledger_sign_checkpoint(l, origin, a->signer, &latest, err)) ||
		    (rc = store_commit(a->store, err))) {
			store_rollback(a->store);
			free(latest);
			return rc;
		}
	} else if (rc) {
		return rc;
	}
	if (note)
		*note = latest;
	else
		free(latest);
	return 0;
}
