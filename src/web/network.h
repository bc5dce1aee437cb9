/*
 * network.h - a child's family and household network as a picture
 * (inline SVG drawn by the server) and as a table with the same facts.
 *
 * The input is query_network's answer (query.h): the child (hop 0), the
 * people linked to it (hop 1) and their own links (hop 2), each with risk
 * flags.  The child is at the centre, the people linked to it on a ring
 * around it, and those linked through them on an outer ring beside the
 * person they are linked through.  Genogram conventions: children are
 * circles, adults squares, an unborn child a dashed circle with the word
 * "unborn", the subject child a double outline.  An adult flagged as a
 * risk to children gets a thick red outline, a hatched fill and the words
 * "RISK TO CHILDREN" under the name - shape, pattern and text, not colour
 * alone.  Links carry their relation ("mother") at their middle.
 *
 * Accessibility as in timeline.h: the picture is an inner <svg
 * role="img"> with <title> and <desc>; the people are links (a child to
 * its own record page, anyone else to their row of the table) drawn by
 * the outer <svg role="group">; network_table lists everyone with every
 * link in words.  At most NETWORK_DRAWN_MAX people are drawn (the child
 * and hop 1 first); the picture says how many more the table lists.
 *
 * Strings and JSON are borrowed; everything is written through html.h.
 */
#ifndef SL_WEB_NETWORK_H
#define SL_WEB_NETWORK_H

#include <jansson.h>

#include "web/html.h"

#define NETWORK_DRAWN_MAX 40

typedef struct network_opts {
	const char *id; /* prefix of element ids, unique on the page ("net") */
} network_opts;

/* The diagram of query_network's answer. */
void network_svg(html *h, const json_t *net, const network_opts *o);
/* The same people and links as a GOV.UK table; row ids are
 * "<id>-p-<person>" (what the diagram's links point at). */
void network_table(html *h, const json_t *net, const network_opts *o);

#endif
