/*
 * review_pack.c - the review pack of one child: collect what a practice
 * review needs and the proof of each event in it, write the report and
 * the bundle into a zip, and check a pack offline (review_pack.h).
 *
 * Collection.  The pack covers each log up to its latest signed
 * checkpoint (size S): the child's events (app_person_events, amendments
 * applied, originals kept) that occurred in the period; for each person
 * linked to the child now (query_network, hop 1), the agency information,
 * risk flags and domestic abuse notices about them in the period; and, as
 * evidence whatever their date, the events the report cites about those:
 * each approved amendment's request and approval, each alert's raising,
 * acknowledgement and resolution.  Each event is then read as stored
 * (store_event_get: canonical bytes and salt), its leaf computed by the
 * ledger and its RFC 6962 inclusion proof taken at S.  The reads of the
 * record come from the access log (store_access_of_child), each with its
 * proof against the access log's checkpoint.
 *
 * The report itself (report.html) is written from the collected pack by
 * review_report.c.
 *
 * The zip is made in memory (libzip over a buffer source) so the CLI can
 * write it to a temporary file and rename it, and the server can send it.
 */
#include "util/common.h"
#include "report/review_pack.h"
#include "report/review_pack_internal.h"
#include "app/query.h"
#include "ledger/checkpoint.h"
#include "ledger/ledger.h"
#include "ledger/merkle.h"
#include "ledger/note.h"
#include "util/date.h"
#include "util/hex.h"
#include "util/hmap.h"
#include "util/sha256.h"

#include <zip.h>

#define PROOF_BUNDLE_FORMAT "safeledger-proof-bundle/1"

/* ---- collection --------------------------------------------------------------------------- */

static pack_event *list_add(pack_list *l, uint64_t seq)
{
	pack_event *e;
	if (l->n == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 64;
		l->v = xrealloc(l->v, l->cap * sizeof(*l->v));
	}
	e = &l->v[l->n++];
	memset(e, 0, sizeof(*e));
	e->seq = seq;
	hmap_put_u64(&l->index, seq, l->n);
	return e;
}

pack_event *pack_list_find(const pack_list *l, uint64_t seq)
{
	uint64_t pos;
	return hmap_get_u64(&l->index, seq, &pos) ? &l->v[pos - 1] : NULL;
}

static void list_free(pack_list *l)
{
	size_t i;
	for (i = 0; i < l->n; i++) {
		json_decref(l->v[i].item);
		store_event_release(&l->v[i].row);
		free(l->v[i].path);
	}
	free(l->v);
	hmap_free(&l->index);
	memset(l, 0, sizeof(*l));
}

static int occurred_of(const json_t *event, uint64_t seq, sl_date *out, sl_err *err)
{
	if (date_parse(or_empty(s_of(event, "occurred_at")), out, err))
		return sl_fail(err, SL_ECORRUPT, "seq %llu: the stored event has no valid occurred_at",
		               (unsigned long long)seq);
	return 0;
}

typedef struct person_ctx {
	pack *p;
	bool linked;
	const char *const *kinds; /* NULL: every kind */
} person_ctx;

static bool kind_in(const char *const *kinds, const char *kind)
{
	for (; *kinds; kinds++)
		if (kind && strcmp(*kinds, kind) == 0)
			return true;
	return false;
}

static int person_event_cb(void *ctx, json_t *obj, sl_err *err)
{
	person_ctx *c = ctx;
	pack *p = c->p;
	uint64_t seq = (uint64_t)json_integer_value(json_object_get(obj, "seq"));
	const json_t *event = json_object_get(obj, "event");
	pack_event *e;
	sl_date d;

	if (seq == 0 || seq > p->cases.size)
		return 0; /* recorded after the checkpoint the pack is proven against */
	if (c->kinds && !kind_in(c->kinds, s_of(event, "kind")))
		return 0;
	if (occurred_of(event, seq, &d, err))
		return err->code;
	if (!c->linked) {
		if (d.day < p->first_day)
			p->first_day = d.day;
		if (d.day > p->last_day)
			p->last_day = d.day;
	}
	if (d.day < p->from || d.day > p->to || pack_list_find(&p->ev, seq))
		return 0;
	e = list_add(&p->ev, seq);
	e->item = json_incref(obj);
	e->occurred = d;
	e->linked = c->linked;
	return 0;
}

/* An event the report cites (an amendment's request or approval, an
 * alert's decisions), whatever its date. */
static int add_evidence(pack *p, uint64_t seq, sl_err *err)
{
	store_event_copy row = {0};
	json_t *event = NULL;
	json_error_t jerr;
	pack_event *e;
	int rc;

	if (seq == 0 || seq > p->cases.size || pack_list_find(&p->ev, seq))
		return 0;
	if ((rc = store_event_get(app_store(p->a), seq, &row, err)))
		return rc;
	if (!(event = json_loadb(row.ev.event, row.ev.event_len, 0, &jerr))) {
		store_event_release(&row);
		return sl_fail(err, SL_ECORRUPT, "seq %llu: the stored event is not JSON", (unsigned long long)seq);
	}
	e = list_add(&p->ev, seq);
	e->row = row;
	e->item = json_pack("{s:I, s:s, s:o}", "seq", (json_int_t)seq, "recorded_at", row.ev.recorded_at, "event",
	                    event);
	return occurred_of(event, seq, &e->occurred, err);
}

static int collect_evidence(pack *p, sl_err *err)
{
	size_t i, n = p->ev.n, j;
	const json_t *am, *alert;
	int rc;

	for (i = 0; i < n; i++) {
		json_array_foreach(json_object_get(p->ev.v[i].item, "amendments"), j, am) {
			if ((rc = add_evidence(p, seq_of(am, "request"), err)) ||
			    (rc = add_evidence(p, seq_of(am, "approved"), err)))
				return rc;
		}
	}
	json_array_foreach(json_object_get(p->alerts, "alerts"), j, alert) {
		if ((rc = add_evidence(p, seq_of(alert, "seq"), err)) ||
		    (rc = add_evidence(p, seq_of(json_object_get(alert, "acknowledged"), "seq"), err)) ||
		    (rc = add_evidence(p, seq_of(json_object_get(alert, "resolved"), "seq"), err)))
			return rc;
	}
	return 0;
}

static int by_seq(const void *x, const void *y)
{
	const pack_event *a = x, *b = y;
	return a->seq < b->seq ? -1 : a->seq > b->seq;
}

static void list_sort(pack_list *l)
{
	size_t i;
	if (l->n)
		qsort(l->v, l->n, sizeof(*l->v), by_seq);
	hmap_free(&l->index);
	memset(&l->index, 0, sizeof(l->index));
	for (i = 0; i < l->n; i++)
		hmap_put_u64(&l->index, l->v[i].seq, i + 1);
}

/* The latest signed checkpoint of a log, and the tree read up to it (this
 * connection's tree may predate it when another connection writes). */
static int log_checkpoint(app *a, pack_log *pl, sl_err *err)
{
	ledger *l = app_log(a, pl->log, NULL);
	int rc;

	if ((rc = store_checkpoint_latest(app_store(a), pl->log, &pl->size, &pl->note, err))) {
		if (rc == SL_ENOTFOUND)
			rc = sl_fail(err, SL_ECONFLICT, "the %s has no signed checkpoint yet: run `safeledger checkpoint`",
			             pl->log == STORE_LOG_CASES ? "case ledger" : "access log");
		return rc;
	}
	if (ledger_size(l) < pl->size && (rc = ledger_reload(l, err)))
		return rc;
	return ledger_root(l, pl->size, pl->root, err);
}

/* Rows, leaves and proofs of every entry of a list, against pl. */
static int prove_list(app *a, pack_list *l, const pack_log *pl, sl_err *err)
{
	ledger *lg = app_log(a, pl->log, NULL);
	buf scratch = BUF_INIT;
	size_t i;
	int rc = 0;

	for (i = 0; i < l->n; i++) {
		pack_event *e = &l->v[i];
		if (!e->row.storage && (rc = store_event_get(app_store(a), e->seq, &e->row, err)))
			break;
		ledger_row_leaf_hash(&e->row.ev, &scratch, e->leaf);
		if ((rc = ledger_inclusion_proof(lg, e->seq, pl->size, &e->path, &e->path_len, err)))
			break;
	}
	buf_release(&scratch);
	return rc;
}

/* A stored row copied into one allocation, as store_event_get gives. */
static void row_copy(const store_event *ev, store_event_copy *out)
{
	size_t rl = strlen(ev->recorded_at) + 1, kl = strlen(ev->kind) + 1;
	char *s = xmalloc(rl + kl + 32 + ev->event_len + 1);

	memcpy(s, ev->recorded_at, rl);
	memcpy(s + rl, ev->kind, kl);
	memcpy(s + rl + kl, ev->salt, 32);
	memcpy(s + rl + kl + 32, ev->event, ev->event_len);
	s[rl + kl + 32 + ev->event_len] = '\0';
	out->storage = s;
	out->ev = (store_event){ev->seq, s, s + rl, (const uint8_t *)(s + rl + kl), s + rl + kl + 32, ev->event_len};
}

static int access_cb(void *ctx, const store_event *ev, sl_err *err)
{
	pack *p = ctx;
	json_t *entry;
	json_error_t jerr;
	pack_event *e;
	sl_date d;

	if (ev->seq > p->access.size)
		return 0;
	if (!(entry = json_loadb(ev->event, ev->event_len, 0, &jerr)))
		return sl_fail(err, SL_ECORRUPT, "access log seq %llu: the stored entry is not JSON",
		               (unsigned long long)ev->seq);
	if (date_parse(or_empty(s_of(entry, "at")), &d, NULL) == 0 && (d.day < p->from || d.day > p->to)) {
		json_decref(entry);
		return 0;
	}
	e = list_add(&p->acc, ev->seq);
	e->item = entry;
	row_copy(ev, &e->row);
	return 0;
}

/* What the report shows about the people linked to the child. */
static const char *const linked_kinds[] = {"agency_info.received", "risk.flagged", "risk.cleared",
                                           "domestic_abuse.notified", NULL};

static int collect_linked(pack *p, sl_err *err)
{
	const json_t *person;
	size_t i;
	int rc;

	if ((rc = query_network(p->a, p->child, &p->network, err)))
		return rc;
	json_array_foreach(json_object_get(p->network, "people"), i, person) {
		person_ctx pc = {p, true, linked_kinds};
		if (json_integer_value(json_object_get(person, "hop")) != 1 ||
		    strcmp(or_empty(s_of(person, "role")), "adult") != 0)
			continue;
		if ((rc = app_person_events(p->a, s_of(person, "id"), person_event_cb, &pc, err)))
			return rc;
	}
	return 0;
}

/* Alerts raised in the period, newest first as query_alerts gives them. */
static int collect_alerts(pack *p, sl_err *err)
{
	query_alert_opts ao = {p->child, NULL, NULL, "all", NULL};
	const char *param = NULL;
	json_t *kept = json_array(), *alert;
	size_t i;
	int32_t day;
	int rc;

	if ((rc = query_alerts(p->a, &ao, &p->alerts, &param, err))) {
		json_decref(kept);
		return rc;
	}
	json_array_foreach(json_object_get(p->alerts, "alerts"), i, alert) {
		if (date_parse_day(or_empty(s_of(alert, "raised_on")), &day, NULL) == 0 && day >= p->from &&
		    day <= p->to && seq_of(alert, "seq") <= p->cases.size)
			json_array_append(kept, alert);
	}
	json_object_set_new(p->alerts, "alerts", kept);
	return 0;
}

static void period_text(buf *out, int32_t day)
{
	date_format_day(out, day);
}

/* A period that holds none of the child's events is a mistake to name,
 * not an empty pack. */
static int check_period(const pack *p, sl_err *err)
{
	buf first = BUF_INIT, last = BUF_INIT;
	size_t i;
	int rc;

	if (p->from == INT32_MIN && p->to == INT32_MAX)
		return 0;
	for (i = 0; i < p->ev.n; i++)
		if (!p->ev.v[i].linked)
			return 0;
	period_text(&first, p->first_day);
	period_text(&last, p->last_day);
	rc = sl_fail(err, SL_EINVAL, "`%s`: the period holds none of %s's events (they occurred from %s to %s)",
	             p->from != INT32_MIN && p->from > p->last_day ? "--from" : "--to", p->child, first.data,
	             last.data);
	buf_release(&first);
	buf_release(&last);
	return rc;
}

static int pack_collect(pack *p, bool child_only, sl_err *err)
{
	person_ctx pc = {p, false, NULL};
	int rc;

	p->first_day = INT32_MAX;
	p->last_day = INT32_MIN;
	p->cases.log = STORE_LOG_CASES;
	p->access.log = STORE_LOG_ACCESS;
	if ((rc = query_child_summary(p->a, p->child, &p->summary, err)) ||
	    (rc = log_checkpoint(p->a, &p->cases, err)) ||
	    (rc = app_person_events(p->a, p->child, person_event_cb, &pc, err)) || (rc = check_period(p, err)))
		return rc;
	if (!child_only && ((rc = collect_linked(p, err)) || (rc = collect_alerts(p, err)) ||
	                    (rc = collect_evidence(p, err))))
		return rc;
	list_sort(&p->ev);
	if ((rc = prove_list(p->a, &p->ev, &p->cases, err)) || child_only)
		return rc;
	if ((rc = log_checkpoint(p->a, &p->access, err)) ||
	    (rc = store_access_of_child(app_store(p->a), p->child, access_cb, p, err)))
		return rc;
	list_sort(&p->acc);
	return prove_list(p->a, &p->acc, &p->access, err);
}

static void pack_release(pack *p)
{
	list_free(&p->ev);
	list_free(&p->acc);
	free(p->cases.note);
	free(p->access.note);
	json_decref(p->summary);
	json_decref(p->network);
	json_decref(p->alerts);
}

/* ---- the proof bundle: JSON lines ----------------------------------------------------------- */

static json_t *hex_json(const uint8_t *b, size_t n)
{
	buf s = BUF_INIT;
	json_t *v;
	buf_append_hex(&s, b, n);
	v = json_string(s.data);
	buf_release(&s);
	return v;
}

static json_t *path_json(const pack_event *e)
{
	json_t *a = json_array();
	size_t i;
	for (i = 0; i < e->path_len; i++)
		json_array_append_new(a, hex_json(e->path + 32 * i, 32));
	return a;
}

static int put_line(buf *out, json_t *o, sl_err *err)
{
	char *s = o ? json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
	json_decref(o);
	if (!s)
		return sl_fail(err, SL_ENOMEM, "a line of the proof bundle cannot be written");
	buf_puts(out, s);
	buf_putc(out, '\n');
	free(s);
	return 0;
}

/* events.jsonl / access.jsonl and proofs.jsonl / access-proofs.jsonl. */
static int write_lines(const pack_list *l, const pack_log *pl, buf *events, buf *proofs, sl_err *err)
{
	size_t i;
	int rc;

	for (i = 0; i < l->n; i++) {
		const pack_event *e = &l->v[i];
		if ((rc = put_line(events,
		                   json_pack("{s:I, s:s, s:s, s:s%, s:o, s:o}", "seq", (json_int_t)e->seq, "recorded_at",
		                             e->row.ev.recorded_at, "kind", e->row.ev.kind, "canonical", e->row.ev.event,
		                             e->row.ev.event_len, "salt", hex_json(e->row.ev.salt, 32), "leaf_hash",
		                             hex_json(e->leaf, 32)),
		                   err)) ||
		    (rc = put_line(proofs,
		                   json_pack("{s:I, s:I, s:I, s:o}", "seq", (json_int_t)e->seq, "leaf_index",
		                             (json_int_t)(e->seq - 1), "tree_size", (json_int_t)pl->size, "hashes",
		                             path_json(e)),
		                   err)))
			return rc;
	}
	return 0;
}

/* ---- the zip ---------------------------------------------------------------------------------- */

enum {
	M_MANIFEST,
	M_README,
	M_REPORT,
	M_EVENTS,
	M_PROOFS,
	M_CHECKPOINT,
	M_KEY,
	M_ACCESS,
	M_ACCESS_PROOFS,
	M_ACCESS_CHECKPOINT,
	M_COUNT
};
static const char *const member_names[M_COUNT] = {
    "manifest.json", "README.txt",   "report.html",         "events.jsonl",        "proofs.jsonl",
    "checkpoint.txt", "key.txt",     "access.jsonl",        "access-proofs.jsonl", "access-checkpoint.txt",
};

static const char readme_text[] =
    "This is a safeledger review pack (" REVIEW_PACK_FORMAT ").\n"
    "\n"
    "report.html           the printable report: the child and the people linked to them, the chronology\n"
    "                      (amendments and late entries marked), who knew what when, alerts, who read it\n"
    "events.jsonl          every event the report cites, as stored: canonical JSON bytes and salt\n"
    "proofs.jsonl          an RFC 6962 inclusion proof of each event against checkpoint.txt\n"
    "checkpoint.txt        the case ledger's signed checkpoint (C2SP tlog-checkpoint, signed-note)\n"
    "key.txt               the verifier key it is signed with (C2SP signed-note vkey)\n"
    "access*.{jsonl,txt}   the same for the access log's entries of reads of the record\n"
    "manifest.json         format, child, period, counts, and the SHA-256 of every other file\n"
    "\n"
    "To check it without the database:  safeledger verify-pack PACK.zip\n"
    "To check it by hand with any RFC 6962 tool, for each line of events.jsonl:\n"
    "  1. commit = SHA-256(salt bytes || canonical bytes), in hex\n"
    "  2. leaf data = {\"commit\":\"<hex>\",\"kind\":\"...\",\"recorded_at\":\"...\",\"seq\":N} (RFC 8785 JSON)\n"
    "  3. leaf hash = SHA-256(0x00 || leaf data); it must equal leaf_hash\n"
    "  4. the line of proofs.jsonl with the same seq is the audit path of leaf index seq-1 in a tree\n"
    "     of tree_size leaves; it must lead to the root in checkpoint.txt (third line, base64)\n"
    "  5. checkpoint.txt must carry a valid Ed25519 signature by key.txt, and key.txt must be the key\n"
    "     the authority publishes.\n"
    "The whole procedure, with commands: docs/review-pack.md in the safeledger sources.\n";

/* The zip of members[0, n) built in memory and appended to out. */
static int zip_write(buf *const *data, size_t n, buf *out, sl_err *err)
{
	zip_error_t ze;
	zip_source_t *src = NULL, *m;
	zip_t *z = NULL;
	zip_int64_t size;
	char *bytes = NULL;
	size_t i;
	int rc = 0;

	zip_error_init(&ze);
	if (!(src = zip_source_buffer_create(NULL, 0, 0, &ze)) || !(z = zip_open_from_source(src, ZIP_TRUNCATE, &ze))) {
		rc = sl_fail(err, SL_EIO, "the review pack's zip cannot be made: %s", zip_error_strerror(&ze));
		goto done;
	}
	zip_source_keep(src); /* still ours after zip_close, holding the archive */
	for (i = 0; i < n; i++) {
		if (!(m = zip_source_buffer(z, buf_str(data[i]), data[i]->len, 0)) ||
		    zip_file_add(z, member_names[i], m, ZIP_FL_ENC_UTF_8) < 0) {
			zip_source_free(m);
			rc = sl_fail(err, SL_EIO, "the review pack's %s cannot be added: %s", member_names[i],
			             zip_strerror(z));
			goto done;
		}
	}
	if (zip_close(z) < 0) {
		rc = sl_fail(err, SL_EIO, "the review pack's zip cannot be written: %s", zip_strerror(z));
		goto done;
	}
	z = NULL;
	if (zip_source_open(src) < 0 || zip_source_seek(src, 0, SEEK_END) < 0 || (size = zip_source_tell(src)) < 0 ||
	    zip_source_seek(src, 0, SEEK_SET) < 0) {
		rc = sl_fail(err, SL_EIO, "the review pack's zip cannot be read back");
		goto done;
	}
	bytes = xmalloc((size_t)size + 1);
	if (zip_source_read(src, bytes, (zip_uint64_t)size) != size) {
		zip_source_close(src);
		rc = sl_fail(err, SL_EIO, "the review pack's zip cannot be read back");
		goto done;
	}
	zip_source_close(src);
	buf_append(out, bytes, (size_t)size);
done:
	if (z)
		zip_discard(z);
	zip_source_free(src);
	zip_error_fini(&ze);
	free(bytes);
	return rc;
}

static json_t *checkpoint_json(const char *origin, const pack_log *pl)
{
	return json_pack("{s:s, s:I, s:o}", "origin", origin, "size", (json_int_t)pl->size, "root", hex_json(pl->root, 32));
}

static int write_manifest(const pack *p, const review_pack_opts *o, const char *generated_at, buf *const *files,
                          buf *out, sl_err *err)
{
	json_t *m, *list = json_object();
	buf access_origin = BUF_INIT;
	uint8_t digest[32];
	char *text;
	size_t i;

	for (i = M_MANIFEST + 1; i < M_COUNT; i++) {
		sha256(buf_str(files[i]), files[i]->len, digest);
		json_object_set_new(list, member_names[i],
		                    json_pack("{s:I, s:o}", "bytes", (json_int_t)files[i]->len, "sha256", hex_json(digest, 32)));
	}
	buf_printf(&access_origin, "%s/access", app_origin(p->a));
	m = json_pack("{s:s, s:s, s:s?, s:{s:s?, s:s?}, s:s, s:s, s:s?, s:{s:I, s:I}, s:{s:o, s:o}, s:o}", "format",
	              REVIEW_PACK_FORMAT, "child", p->child, "name", s_of(p->summary, "name"), "period", "from", o->from,
	              "to", o->to, "origin", app_origin(p->a), "generated_at", generated_at, "generated_by",
	              o->generated_by, "counts", "events", (json_int_t)p->ev.n, "access", (json_int_t)p->acc.n,
	              "checkpoints", "cases", checkpoint_json(app_origin(p->a), &p->cases), "access",
	              checkpoint_json(access_origin.data, &p->access), "files", list);
	buf_release(&access_origin);
	if (!m || !(text = json_dumps(m, JSON_INDENT(2) | JSON_PRESERVE_ORDER))) {
		json_decref(m);
		return sl_fail(err, SL_ENOMEM, "the review pack's manifest cannot be written");
	}
	buf_puts(out, text);
	buf_putc(out, '\n');
	free(text);
	json_decref(m);
	return 0;
}

static int parse_period(pack *p, const review_pack_opts *o, sl_err *err)
{
	p->from = INT32_MIN;
	p->to = INT32_MAX;
	if (!o->child || !*o->child)
		return sl_fail(err, SL_EINVAL, "`--child`: give the child's id");
	if (o->from && date_parse_day(o->from, &p->from, err)) {
		sl_err_prefix(err, "`--from`");
		return SL_EINVAL;
	}
	if (o->to && date_parse_day(o->to, &p->to, err)) {
		sl_err_prefix(err, "`--to`");
		return SL_EINVAL;
	}
	if (p->from > p->to)
		return sl_fail(err, SL_EINVAL, "`--from` %s is after `--to` %s", o->from, o->to);
	return 0;
}

int review_pack_check(app *a, const review_pack_opts *o, sl_err *err)
{
	pack p = {0};
	person_ctx pc = {&p, false, NULL};
	int rc;

	p.a = a;
	p.child = o->child;
	p.cases.size = UINT64_MAX; /* every event, not only those a checkpoint covers */
	p.first_day = INT32_MAX;
	p.last_day = INT32_MIN;
	if (!(rc = parse_period(&p, o, err)) && !(rc = query_child_summary(a, p.child, &p.summary, err)) &&
	    !(rc = app_person_events(a, p.child, person_event_cb, &pc, err)))
		rc = check_period(&p, err);
	pack_release(&p);
	return rc;
}

int review_pack_build(app *a, const review_pack_opts *o, buf *zip, review_pack_stats *stats, sl_err *err)
{
	pack p = {0};
	buf files[M_COUNT] = {BUF_INIT};
	buf *fp[M_COUNT];
	char now[LEDGER_TIME_LEN];
	size_t i;
	int rc;

	p.a = a;
	p.child = o->child;
	for (i = 0; i < M_COUNT; i++)
		fp[i] = &files[i];
	if ((rc = parse_period(&p, o, err)) || (rc = pack_collect(&p, false, err)))
		goto done;
	ledger_now(now);
	review_report_write(&p, o, now, &files[M_REPORT]);
	buf_puts(&files[M_README], readme_text);
	buf_puts(&files[M_CHECKPOINT], p.cases.note);
	buf_puts(&files[M_ACCESS_CHECKPOINT], p.access.note);
	buf_printf(&files[M_KEY], "%s\n", app_vkey(a));
	if ((rc = write_lines(&p.ev, &p.cases, &files[M_EVENTS], &files[M_PROOFS], err)) ||
	    (rc = write_lines(&p.acc, &p.access, &files[M_ACCESS], &files[M_ACCESS_PROOFS], err)) ||
	    (rc = write_manifest(&p, o, now, fp, &files[M_MANIFEST], err)) || (rc = zip_write(fp, M_COUNT, zip, err)))
		goto done;
	if (stats) {
		stats->events = p.ev.n;
		stats->access = p.acc.n;
		stats->cases_size = p.cases.size;
		stats->access_size = p.access.size;
		stats->report_bytes = files[M_REPORT].len;
		stats->zip_bytes = zip->len;
	}
done:
	for (i = 0; i < M_COUNT; i++)
		buf_release(&files[i]);
	pack_release(&p);
	return rc;
}

/* ---- the reviewer page's JSON bundle -------------------------------------------------------- */

int review_pack_proof_json(app *a, const char *child, json_t **out, sl_err *err)
{
	pack p = {0};
	json_t *list = json_array();
	size_t i;
	int rc;

	*out = NULL;
	p.a = a;
	p.child = child;
	p.from = INT32_MIN;
	p.to = INT32_MAX;
	if ((rc = pack_collect(&p, true, err)))
		goto done;
	for (i = 0; i < p.ev.n; i++) {
		const pack_event *e = &p.ev.v[i];
		json_array_append_new(
		    list, json_pack("{s:I, s:s, s:s, s:s%, s:o, s:o, s:b, s:{s:s, s:I, s:I, s:o, s:o}}", "seq",
		                    (json_int_t)e->seq, "recorded_at", e->row.ev.recorded_at, "kind", e->row.ev.kind,
		                    "canonical", e->row.ev.event, e->row.ev.event_len, "salt", hex_json(e->row.ev.salt, 32),
		                    "leaf_hash", hex_json(e->leaf, 32), "amended",
		                    json_array_size(json_object_get(e->item, "amendments")) > 0, "proof", "checkpoint",
		                    p.cases.note, "tree_size", (json_int_t)p.cases.size, "leaf_index",
		                    (json_int_t)(e->seq - 1), "root", hex_json(p.cases.root, 32), "hashes", path_json(e)));
	}
	*out = json_pack("{s:s, s:s, s:s, s:s, s:s, s:O}", "format", PROOF_BUNDLE_FORMAT, "child", child, "origin",
	                 app_origin(a), "verifier_key", app_vkey(a), "checkpoint", p.cases.note, "events", list);
	if (!*out)
		rc = sl_fail(err, SL_ECORRUPT, "the proof bundle of %s cannot be written", child);
done:
	json_decref(list);
	pack_release(&p);
	return rc;
}

/* ---- verify-pack -------------------------------------------------------------------------------- */

/* A name from the archive, fit for a message (it is untrusted). */
static void safe_name(const char *s, char out[64])
{
	size_t i;
	for (i = 0; s[i] && i < 60; i++)
		out[i] = (unsigned char)s[i] < 0x20 || (unsigned char)s[i] >= 0x7f ? '?' : s[i];
	if (s[i])
		out[i++] = '.', out[i++] = '.';
	out[i] = '\0';
}

static int read_member(zip_t *z, zip_uint64_t i, const char *name, zip_uint64_t size, buf *out, sl_err *err)
{
	zip_file_t *f = zip_fopen_index(z, i, 0);
	char chunk[65536];
	zip_int64_t got;
	int rc = 0;

	if (!f)
		return sl_fail(err, SL_ECORRUPT, "%s: cannot be opened: %s", name, zip_strerror(z));
	/* read at most the limit whatever the header claimed: a member that
	 * inflates past it is refused, not held */
	while ((got = zip_fread(f, chunk, sizeof(chunk))) > 0) {
		if (out->len + (size_t)got > REVIEW_PACK_MAX_MEMBER || out->len + (size_t)got > size) {
			rc = sl_fail(err, SL_ECORRUPT, "%s: inflates to more than its stated %llu bytes", name,
			             (unsigned long long)size);
			goto done;
		}
		buf_append(out, chunk, (size_t)got);
	}
	if (got < 0)
		rc = sl_fail(err, SL_ECORRUPT, "%s: cannot be read: %s", name, zip_file_strerror(f));
	else if (out->len != size)
		rc = sl_fail(err, SL_ECORRUPT, "%s: holds %zu bytes, not the %llu its header states", name, out->len,
		             (unsigned long long)size);
done:
	zip_fclose(f);
	return rc;
}

static int read_members(const void *data, size_t len, buf *files, bool *present, sl_err *err)
{
	zip_error_t ze;
	zip_source_t *src;
	zip_t *z = NULL;
	zip_int64_t n, i;
	zip_uint64_t total = 0;
	char shown[64];
	int rc = 0, k;

	zip_error_init(&ze);
	if (!(src = zip_source_buffer_create(data, len, 0, &ze))) {
		rc = sl_fail(err, SL_EINVAL, "not a zip archive: %s", zip_error_strerror(&ze));
		goto done;
	}
	if (!(z = zip_open_from_source(src, ZIP_RDONLY | ZIP_CHECKCONS, &ze))) {
		zip_source_free(src);
		rc = sl_fail(err, SL_EINVAL, "not a zip archive: %s", zip_error_strerror(&ze));
		goto done;
	}
	if ((n = zip_get_num_entries(z, 0)) < 0 || n > REVIEW_PACK_MAX_MEMBERS) {
		rc = sl_fail(err, SL_EINVAL, "not a review pack: %lld members (a pack has at most %d)", (long long)n,
		             REVIEW_PACK_MAX_MEMBERS);
		goto done;
	}
	for (i = 0; i < n; i++) {
		zip_stat_t st;
		zip_stat_init(&st);
		if (zip_stat_index(z, (zip_uint64_t)i, 0, &st) < 0 || !(st.valid & ZIP_STAT_NAME) ||
		    !(st.valid & ZIP_STAT_SIZE)) {
			rc = sl_fail(err, SL_EINVAL, "member %lld: cannot be read: %s", (long long)i, zip_strerror(z));
			goto done;
		}
		safe_name(st.name, shown);
		for (k = 0; k < M_COUNT && strcmp(st.name, member_names[k]) != 0; k++)
			;
		if (k == M_COUNT) {
			rc = sl_fail(err, SL_EINVAL, "member `%s`: not a file of a review pack (names are fixed, no paths)",
			             shown);
			goto done;
		}
		if (present[k]) {
			rc = sl_fail(err, SL_EINVAL, "member `%s`: appears twice", shown);
			goto done;
		}
		if (st.size > REVIEW_PACK_MAX_MEMBER || (total += st.size) > REVIEW_PACK_MAX_TOTAL) {
			rc = sl_fail(err, SL_EINVAL, "%s: %llu bytes, more than a pack may hold (%u a member, %u in all)",
			             shown, (unsigned long long)st.size, REVIEW_PACK_MAX_MEMBER, REVIEW_PACK_MAX_TOTAL);
			goto done;
		}
		present[k] = true;
		if ((rc = read_member(z, (zip_uint64_t)i, member_names[k], st.size, &files[k], err)))
			goto done;
	}
done:
	if (z)
		zip_discard(z);
	zip_error_fini(&ze);
	return rc;
}

/* What one log's part of a pack names, for messages. */
typedef struct log_part {
	const char *what; /* "event", "access entry" */
	const char *events_name, *proofs_name, *checkpoint_name;
	const buf *events, *proofs, *checkpoint;
} log_part;

typedef int (*line_fn)(void *ctx, size_t lineno, json_t *line, sl_err *err);

/* Each line of a JSON-lines member as an object, in order. */
static int each_line(const char *name, const buf *b, line_fn fn, void *ctx, sl_err *err)
{
	const char *s = buf_str(b), *end = s + b->len, *nl;
	size_t lineno = 0;
	json_error_t jerr;
	json_t *o;
	int rc;

	if (b->len && s[b->len - 1] != '\n')
		return sl_fail(err, SL_ECORRUPT, "%s: the last line does not end with a newline", name);
	for (; s < end; s = nl + 1) {
		nl = memchr(s, '\n', (size_t)(end - s));
		lineno++;
		if (!(o = json_loadb(s, (size_t)(nl - s), JSON_REJECT_DUPLICATES, &jerr)) || !json_is_object(o)) {
			json_decref(o);
			return sl_fail(err, SL_ECORRUPT, "%s line %zu: not a JSON object", name, lineno);
		}
		rc = fn(ctx, lineno, o, err);
		json_decref(o);
		if (rc)
			return rc;
	}
	return 0;
}

typedef struct verify_ctx {
	const log_part *part;
	checkpoint cp;
	json_t *proofs; /* seq (text) -> proof line */
	uint64_t last_seq, events;
	buf scratch;
} verify_ctx;

static int line_seq(const char *name, size_t lineno, const json_t *o, uint64_t *seq, sl_err *err)
{
	const json_t *v = json_object_get(o, "seq");
	if (!json_is_integer(v) || json_integer_value(v) < 1)
		return sl_fail(err, SL_ECORRUPT, "%s line %zu: field `seq`: not a positive integer", name, lineno);
	*seq = (uint64_t)json_integer_value(v);
	return 0;
}

static int proof_line(void *ctx, size_t lineno, json_t *o, sl_err *err)
{
	verify_ctx *c = ctx;
	char key[32];
	uint64_t seq = 0;
	int rc;

	if ((rc = line_seq(c->part->proofs_name, lineno, o, &seq, err)))
		return rc;
	snprintf(key, sizeof(key), "%llu", (unsigned long long)seq);
	if (json_object_get(c->proofs, key))
		return sl_fail(err, SL_ECORRUPT, "%s line %zu: a second proof of %s seq %llu", c->part->proofs_name, lineno,
		               c->part->what, (unsigned long long)seq);
	json_object_set(c->proofs, key, o);
	return 0;
}

static int hex32(const json_t *o, const char *key, uint8_t out[32])
{
	const char *s = json_string_value(json_object_get(o, key));
	return s && strlen(s) == 64 && hex_decode(s, 64, out, 32) == 0 ? 0 : -1;
}

/* The proof of one event against the checkpoint. */
static int check_proof(verify_ctx *c, uint64_t seq, const uint8_t leaf[32], sl_err *err)
{
	const char *what = c->part->what;
	char key[32];
	const json_t *p, *hashes, *h;
	uint8_t *path = NULL;
	size_t n, i;
	int rc = 0;

	snprintf(key, sizeof(key), "%llu", (unsigned long long)seq);
	if (!(p = json_object_get(c->proofs, key)))
		return sl_fail(err, SL_ECORRUPT, "%s seq %llu: no inclusion proof in %s", what, (unsigned long long)seq,
		               c->part->proofs_name);
	hashes = json_object_get(p, "hashes");
	if (json_integer_value(json_object_get(p, "leaf_index")) != (json_int_t)(seq - 1) ||
	    !json_is_integer(json_object_get(p, "leaf_index")))
		return sl_fail(err, SL_ECORRUPT, "%s seq %llu: the proof's leaf_index is not %llu", what,
		               (unsigned long long)seq, (unsigned long long)(seq - 1));
	if (!json_is_integer(json_object_get(p, "tree_size")) ||
	    (uint64_t)json_integer_value(json_object_get(p, "tree_size")) != c->cp.size)
		return sl_fail(err, SL_ECORRUPT, "%s seq %llu: the proof's tree_size is not the checkpoint's %llu", what,
		               (unsigned long long)seq, (unsigned long long)c->cp.size);
	if (!json_is_array(hashes) || (n = json_array_size(hashes)) > MERKLE_MAX_PROOF)
		return sl_fail(err, SL_ECORRUPT, "%s seq %llu: the proof's hashes are not a list of at most %d", what,
		               (unsigned long long)seq, MERKLE_MAX_PROOF);
	path = xmalloc(32 * (n ? n : 1));
	json_array_foreach(hashes, i, h) {
		const char *s = json_string_value(h);
		if (!s || strlen(s) != 64 || hex_decode(s, 64, path + 32 * i, 32)) {
			rc = sl_fail(err, SL_ECORRUPT, "%s seq %llu: proof hash %zu is not 64 hex digits", what,
			             (unsigned long long)seq, i + 1);
			goto done;
		}
	}
	if (!merkle_verify_inclusion(seq - 1, c->cp.size, leaf, path, n, c->cp.root))
		rc = sl_fail(err, SL_ECORRUPT, "%s seq %llu: inclusion proof does not lead to the checkpoint root", what,
		             (unsigned long long)seq);
done:
	free(path);
	return rc;
}

static int event_line(void *ctx, size_t lineno, json_t *o, sl_err *err)
{
	verify_ctx *c = ctx;
	const char *what = c->part->what, *recorded_at, *kind, *canonical;
	uint8_t salt[32], claimed[32], leaf[32];
	store_event ev;
	uint64_t seq = 0;
	int rc;

	if ((rc = line_seq(c->part->events_name, lineno, o, &seq, err)))
		return rc;
	if (seq <= c->last_seq)
		return sl_fail(err, SL_ECORRUPT, "%s seq %llu: out of order in %s (after seq %llu)", what,
		               (unsigned long long)seq, c->part->events_name, (unsigned long long)c->last_seq);
	c->last_seq = seq;
	recorded_at = json_string_value(json_object_get(o, "recorded_at"));
	kind = json_string_value(json_object_get(o, "kind"));
	canonical = json_string_value(json_object_get(o, "canonical"));
	if (!recorded_at || !kind || !canonical)
		return sl_fail(err, SL_ECORRUPT, "%s seq %llu: needs the strings `recorded_at`, `kind` and `canonical`",
		               what, (unsigned long long)seq);
	if (hex32(o, "salt", salt))
		return sl_fail(err, SL_ECORRUPT, "%s seq %llu: field `salt`: not 64 hex digits", what,
		               (unsigned long long)seq);
	if (hex32(o, "leaf_hash", claimed))
		return sl_fail(err, SL_ECORRUPT, "%s seq %llu: field `leaf_hash`: not 64 hex digits", what,
		               (unsigned long long)seq);
	if (seq > c->cp.size)
		return sl_fail(err, SL_ECORRUPT, "%s seq %llu: beyond the checkpoint's %llu entries", what,
		               (unsigned long long)seq, (unsigned long long)c->cp.size);
	/* the ledger's own leaf (DESIGN 4), from what the line says */
	ev = (store_event){seq, recorded_at, kind, salt, canonical, json_string_length(json_object_get(o, "canonical"))};
	ledger_row_leaf_hash(&ev, &c->scratch, leaf);
	if (memcmp(leaf, claimed, 32) != 0)
		return sl_fail(err, SL_ECORRUPT,
		               "%s seq %llu: its canonical bytes, salt, kind, recorded_at and seq do not give its leaf_hash "
		               "(the %s or its salt was changed)",
		               what, (unsigned long long)seq, what);
	c->events++;
	return check_proof(c, seq, leaf, err);
}

static int verify_part(const log_part *part, note_verifier *v, const char *origin, uint64_t *count,
                       uint64_t *size, uint8_t root[32], sl_err *err)
{
	verify_ctx c = {part, CHECKPOINT_INIT, json_object(), 0, 0, BUF_INIT};
	int rc;

	if ((rc = checkpoint_open(buf_str(part->checkpoint), part->checkpoint->len, origin, &v, 1, &c.cp, NULL, err))) {
		sl_err_prefix(err, "%s", part->checkpoint_name);
		rc = SL_ECORRUPT;
		goto done;
	}
	if ((rc = each_line(part->proofs_name, part->proofs, proof_line, &c, err)) ||
	    (rc = each_line(part->events_name, part->events, event_line, &c, err)))
		goto done;
	if (json_object_size(c.proofs) != c.events) {
		rc = sl_fail(err, SL_ECORRUPT, "%s: %zu proofs for %llu %ss", part->proofs_name, json_object_size(c.proofs),
		             (unsigned long long)c.events, part->what);
		goto done;
	}
	*count = c.events;
	*size = c.cp.size;
	memcpy(root, c.cp.root, 32);
done:
	checkpoint_release(&c.cp);
	json_decref(c.proofs);
	buf_release(&c.scratch);
	return rc;
}

/* The manifest last: its hashes cover the report and README, which no
 * signature does; an edited event was already named above. */
static int verify_manifest(const buf *files, const bool *present, review_pack_result *res, sl_err *err)
{
	json_error_t jerr;
	json_t *m = json_loadb(buf_str(&files[M_MANIFEST]), files[M_MANIFEST].len, JSON_REJECT_DUPLICATES, &jerr);
	const json_t *list = json_object_get(m, "files"), *entry, *counts = json_object_get(m, "counts");
	const char *name, *child = json_string_value(json_object_get(m, "child"));
	uint8_t want[32], got[32];
	int rc = 0, k;

	if (!json_is_object(m) || strcmp(or_empty(json_string_value(json_object_get(m, "format"))), REVIEW_PACK_FORMAT)) {
		rc = sl_fail(err, SL_ECORRUPT, "manifest.json: not a %s manifest", REVIEW_PACK_FORMAT);
		goto done;
	}
	if (!child || !json_is_object(list)) {
		rc = sl_fail(err, SL_ECORRUPT, "manifest.json: needs `child` and `files`");
		goto done;
	}
	snprintf(res->child, sizeof(res->child), "%s", child);
	for (k = 0; res->child[k]; k++) /* untrusted: fit for a terminal */
		if ((unsigned char)res->child[k] < 0x20 || res->child[k] == 0x7f)
			res->child[k] = '?';
	if (json_integer_value(json_object_get(counts, "events")) != (json_int_t)res->events ||
	    json_integer_value(json_object_get(counts, "access")) != (json_int_t)res->access) {
		rc = sl_fail(err, SL_ECORRUPT, "manifest.json: its counts are not the pack's %llu events and %llu reads",
		             (unsigned long long)res->events, (unsigned long long)res->access);
		goto done;
	}
	for (k = M_MANIFEST + 1; k < M_COUNT; k++) {
		if (!present[k])
			continue;
		entry = json_object_get(list, member_names[k]);
		if (hex32(entry, "sha256", want)) {
			rc = sl_fail(err, SL_ECORRUPT, "manifest.json: no SHA-256 of %s", member_names[k]);
			goto done;
		}
		sha256(buf_str(&files[k]), files[k].len, got);
		if (memcmp(want, got, 32) != 0) {
			rc = sl_fail(err, SL_ECORRUPT, "%s: its SHA-256 is not the one manifest.json gives", member_names[k]);
			goto done;
		}
	}
	json_object_foreach((json_t *)list, name, entry) {
		char shown[64];
		for (k = M_MANIFEST + 1; k < M_COUNT && (strcmp(name, member_names[k]) != 0 || !present[k]); k++)
			;
		if (k == M_COUNT) {
			safe_name(name, shown);
			rc = sl_fail(err, SL_ECORRUPT, "manifest.json: names %s, which is not in the pack", shown);
			goto done;
		}
	}
done:
	json_decref(m);
	return rc;
}

int review_pack_verify(const void *zip, size_t len, review_pack_result *res, sl_err *err)
{
	static const int required[] = {M_MANIFEST, M_EVENTS, M_PROOFS, M_CHECKPOINT, M_KEY};
	buf files[M_COUNT] = {BUF_INIT};
	bool present[M_COUNT] = {false};
	note_verifier *v = NULL;
	buf origin = BUF_INIT, key = BUF_INIT;
	log_part cases = {"event", "events.jsonl", "proofs.jsonl", "checkpoint.txt",
	                  &files[M_EVENTS], &files[M_PROOFS], &files[M_CHECKPOINT]};
	log_part access = {"access entry", "access.jsonl", "access-proofs.jsonl", "access-checkpoint.txt",
	                   &files[M_ACCESS], &files[M_ACCESS_PROOFS], &files[M_ACCESS_CHECKPOINT]};
	size_t i;
	int rc;

	memset(res, 0, sizeof(*res));
	if ((rc = read_members(zip, len, files, present, err)))
		goto done;
	for (i = 0; i < SL_ARRAY_LEN(required); i++) {
		if (!present[required[i]]) {
			rc = sl_fail(err, SL_EINVAL, "not a review pack: it has no %s", member_names[required[i]]);
			goto done;
		}
	}
	if (present[M_ACCESS] != present[M_ACCESS_PROOFS] || present[M_ACCESS] != present[M_ACCESS_CHECKPOINT]) {
		rc = sl_fail(err, SL_ECORRUPT, "the pack has some of access.jsonl, access-proofs.jsonl and "
		                               "access-checkpoint.txt but not all three");
		goto done;
	}
	/* key.txt: one vkey line */
	buf_append(&key, buf_str(&files[M_KEY]), files[M_KEY].len);
	if (key.len && key.data[key.len - 1] == '\n')
		buf_truncate(&key, key.len - 1);
	if (strlen(buf_str(&key)) != key.len || note_verifier_parse(buf_str(&key), &v, err)) {
		if (strlen(buf_str(&key)) != key.len)
			sl_fail(err, SL_EINVAL, "not a verifier key");
		sl_err_prefix(err, "key.txt");
		rc = SL_ECORRUPT;
		goto done;
	}
	/* the checkpoint's origin must be the key's name (the log signs as itself) */
	if ((rc = verify_part(&cases, v, note_verifier_name(v), &res->events, &res->cases_size, res->cases_root, err)))
		goto done;
	buf_printf(&origin, "%s/access", note_verifier_name(v));
	if (present[M_ACCESS] &&
	    (rc = verify_part(&access, v, origin.data, &res->access, &res->access_size, res->access_root, err)))
		goto done;
	rc = verify_manifest(files, present, res, err);
done:
	for (i = 0; i < M_COUNT; i++)
		buf_release(&files[i]);
	note_verifier_free(v);
	buf_release(&origin);
	buf_release(&key);
	return rc;
}
