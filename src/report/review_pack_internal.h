/*
 * review_pack_internal.h - what the review pack's two files share: the
 * collected pack (review_pack.c gathers the events, reads and checkpoints
 * and proves them) and the report written from it (review_report.c).
 * Not for use outside src/report/.
 *
 * Ownership: a pack owns every JSON reference, row copy and proof path in
 * it; review_pack.c frees them.  The report only reads.
 */
#ifndef SL_REVIEW_PACK_INTERNAL_H
#define SL_REVIEW_PACK_INTERNAL_H

#include <jansson.h>

#include "app/app.h"
#include "report/review_pack.h"
#include "util/date.h"
#include "util/hmap.h"

/* One event or access entry in the pack. */
typedef struct pack_event {
	uint64_t seq;
	json_t *item; /* {"seq","recorded_at","event","amendments"?}: the event as amended; owned */
	sl_date occurred;
	bool linked;          /* about a person linked to the child, not the child */
	store_event_copy row; /* as stored: canonical bytes and salt */
	uint8_t leaf[32];
	uint8_t *path; /* inclusion proof at the log's checkpoint size */
	size_t path_len;
} pack_event;

typedef struct pack_list {
	pack_event *v;
	size_t n, cap;
	hmap index; /* seq -> position + 1 */
} pack_list;

/* One log's checkpoint the pack is proven against. */
typedef struct pack_log {
	int log;
	uint64_t size;
	char *note;
	uint8_t root[32];
} pack_log;

typedef struct pack {
	app *a;
	const char *child;
	int32_t from, to;             /* INT32_MIN, INT32_MAX: no bound */
	int32_t first_day, last_day;  /* the child's whole record */
	pack_list ev, acc;
	pack_log cases, access;
	json_t *summary, *network, *alerts;
} pack;

static inline const char *s_of(const json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

static inline const char *or_empty(const char *s)
{
	return s ? s : "";
}

static inline uint64_t seq_of(const json_t *o, const char *key)
{
	json_int_t v = json_integer_value(json_object_get(o, key));
	return v > 0 ? (uint64_t)v : 0;
}

/* The entry of a list with this seq, or NULL. */
pack_event *pack_list_find(const pack_list *l, uint64_t seq);

/* report.html: the printable report of a collected pack. */
void review_report_write(const pack *p, const review_pack_opts *o, const char *generated_at, buf *out);

#endif
