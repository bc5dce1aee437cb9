/*
 * timeline.h - a child's chronology as a picture: inline SVG drawn by the
 * server (issue 6), so it shows without JavaScript.
 *
 * Events lie in horizontal lanes, one per agency present (social care,
 * police, health, ...) with alerts in a lane of their own above them, on
 * an x axis of dates with year or month ticks.  Injuries, missing episodes
 * and alerts have their own shape as well as colour (triangle, diamond,
 * square; a legend says which), so nothing depends on colour alone.  Each
 * mark links to the event in the chronology list of the page and carries
 * a <title> (tooltip and accessible name).
 *
 * Readable at any size: the axis is cut into columns a few pixels wide,
 * and the events of one lane, one mark type and one column are one mark -
 * a single event as itself, several as a larger mark saying how many and
 * linking to the list narrowed to those dates.  So 5,000 events draw at
 * most lanes x 4 x columns marks, in one pass over the events.
 *
 * Accessibility: the picture is an inner <svg role="img"> with <title>
 * and <desc> (aria-labelledby) summarising it - the span, the count per
 * lane, the injuries, missing episodes and alerts.  The marks are links,
 * and links may not sit inside role="img" (its children are
 * presentational), so they are drawn by the outer <svg role="group">
 * over the picture.  The page lists the same events as text.
 *
 * Input: events in any order (the page passes query_timeline's, oldest
 * first); strings are borrowed for the call.  Output goes through html.h,
 * so every name and label is escaped.
 */
#ifndef SL_WEB_TIMELINE_H
#define SL_WEB_TIMELINE_H

#include <stdint.h>

#include "web/html.h"

typedef struct timeline_event {
	uint64_t seq;
	int32_t day;        /* the occurred date (util/date.h day number) */
	const char *kind;   /* vocabulary kind */
	const char *agency; /* an agency of DESIGN 5 (unknown ones go to `other`) */
} timeline_event;

typedef struct timeline_opts {
	/* Prefix of element ids, unique on the page ("tl"). */
	const char *id;
	/* Whose chronology, for the title ("Jane Smith"); NULL: none. */
	const char *subject;
	/* The URL a mark's link extends, ending in '?' or '&' (the page's path
	 * with its kind and agency filters): a single event links to
	 * BASE "to=DAY#eSEQ", several to BASE "from=A&to=B#chronology". */
	const char *link_base;
} timeline_opts;

/* The mark types, in drawing order (later ones on top). */
typedef enum timeline_mark {
	TIMELINE_EVENT,
	TIMELINE_MISSING,
	TIMELINE_INJURY,
	TIMELINE_ALERT,
	TIMELINE_MARKS
} timeline_mark;

/* Which mark an event kind gets. */
timeline_mark timeline_mark_of(const char *kind);

/* Draw the timeline of n events. */
void timeline_svg(html *h, const timeline_event *ev, size_t n, const timeline_opts *o);

/* Words for people: "visit.recorded" -> "Visit", "social_care" ->
 * "Social care" (the name itself when unknown). */
const char *timeline_kind_label(const char *kind);
const char *timeline_agency_label(const char *agency);

#endif
