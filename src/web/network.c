/*
 * network.c - the family and household network as SVG and as a table.
 * See network.h.
 *
 * Layout: the child at the centre of an ellipse (wider than tall, as a
 * page is); the n people of hop 1 evenly round an inner ellipse starting
 * at the top; each person of hop 2 on an outer ellipse, grouped beside the
 * first hop-1 person they are linked to, so a father's new partner sits
 * behind the father.  This is a few dozen people at most: quadratic
 * lookups over people and links are cheaper than any index here.
 *
 * As in timeline.c, only presentation attributes style the picture (the
 * Content-Security-Policy refuses inline style), and every id is prefixed
 * with the caller's, so two pictures can share a page.
 */
#include "util/common.h"
#include "web/network.h"

#include <math.h>

#define WIDTH 960
#define HEIGHT 640
#define CX 480.0
#define CY 300.0
#define R1X 250.0
#define R1Y 145.0
#define R2X 420.0
#define R2Y 260.0
#define NODE 21.0    /* half-size of a node */
#define NAME_MAX 22  /* bytes of a name shown under a node */

typedef struct node node;
struct node {
	const json_t *p;
	const char *id;
	double x, y, angle;
	int hop;
	bool drawn;
	const node *via; /* hop 2: the hop-1 person drawn beside */
};

static const char *str(const json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

static bool is_child(const json_t *p)
{
	const char *role = str(p, "role");
	return role && strcmp(role, "child") == 0;
}

static bool is_unborn(const json_t *p)
{
	return is_child(p) && !str(p, "born") && str(p, "expected");
}

static bool at_risk(const json_t *p)
{
	return json_is_true(json_object_get(p, "risk_to_children"));
}

static const char *name_of(const json_t *p)
{
	const char *name = str(p, "name");
	return name && *name ? name : str(p, "id");
}

static node *find(node *v, size_t n, const char *id)
{
	for (size_t i = 0; id && i < n; i++)
		if (strcmp(v[i].id, id) == 0)
			return &v[i];
	return NULL;
}

static const char *num(char *out, size_t size, double v)
{
	snprintf(out, size, "%.1f", v);
	return out;
}

/* A name cut to NAME_MAX bytes at a character boundary, with an ellipsis. */
static void short_name(buf *out, const char *name)
{
	size_t n = strlen(name), cut = NAME_MAX;

	if (n <= NAME_MAX) {
		buf_puts(out, name);
		return;
	}
	while (cut > 0 && ((unsigned char)name[cut] & 0xC0) == 0x80)
		cut--;
	buf_append(out, name, cut);
	buf_puts(out, "\xE2\x80\xA6");
}

/* Place everyone; returns how many are drawn. */
static size_t place(node *v, size_t n, const json_t *links)
{
	size_t i, j, n1 = 0, k1 = 0, drawn = 0;
	const json_t *l;

	for (i = 0; i < n; i++)
		n1 += v[i].hop == 1;
	for (i = 0; i < n && drawn < NETWORK_DRAWN_MAX; i++) {
		if (v[i].hop == 0) {
			v[i].x = CX;
			v[i].y = CY;
		} else if (v[i].hop == 1) {
			v[i].angle = -M_PI / 2 + 2 * M_PI * (double)k1++ / (double)n1;
			v[i].x = CX + R1X * cos(v[i].angle);
			v[i].y = CY + R1Y * sin(v[i].angle);
		} else {
			continue;
		}
		v[i].drawn = true;
		drawn++;
	}
	/* hop 2: beside the hop-1 person each is linked through, fanned out
	 * alternately either side of that person's angle */
	for (i = 0; i < n && drawn < NETWORK_DRAWN_MAX; i++) {
		const node *via = NULL;
		size_t before = 0;
		double step = fmin(M_PI / (double)(n1 ? n1 : 1) / 3, 0.2);

		if (v[i].hop < 2)
			continue;
		json_array_foreach(links, j, l) {
			node *a = find(v, n, str(l, "a")), *b = find(v, n, str(l, "b"));
			if (a == &v[i] && b && b->hop == 1 && b->drawn)
				via = b;
			else if (b == &v[i] && a && a->hop == 1 && a->drawn)
				via = a;
			if (via)
				break;
		}
		if (!via)
			continue;
		for (j = 0; j < i; j++)
			before += v[j].drawn && v[j].via == via;
		v[i].via = via;
		v[i].angle = via->angle + (before % 2 ? -1.0 : 1.0) * step * (double)((before + 2) / 2) -
		             (before == 0 ? step : 0);
		v[i].x = CX + R2X * cos(v[i].angle);
		v[i].y = CY + R2Y * sin(v[i].angle);
		v[i].drawn = true;
		drawn++;
	}
	return drawn;
}

/* A relation as words: "partner_of_parent" -> "partner of parent". */
static void relation_words(buf *out, const char *relation)
{
	for (const char *c = relation ? relation : "linked"; *c; c++)
		buf_putc(out, *c == '_' ? ' ' : *c);
}

static void node_shape(html *h, const node *d, const char *hatch)
{
	char a[32], b[32], c[32], e[32];
	bool child = is_child(d->p), risk = at_risk(d->p);
	const char *fill = risk ? hatch : "#ffffff";
	const char *stroke = risk ? "#d4351c" : "#0b0c0c";
	const char *width = risk ? "4" : "2";

	if (d->hop == 0) /* the subject: a double outline */
		html_void(h, "circle", "cx", num(a, sizeof(a), d->x), "cy", num(b, sizeof(b), d->y), "r",
		          num(c, sizeof(c), NODE + 5), "fill", "#ffffff", "stroke", "#0b0c0c", "stroke-width", "2", NULL);
	if (child)
		html_void(h, "circle", "cx", num(a, sizeof(a), d->x), "cy", num(b, sizeof(b), d->y), "r",
		          num(c, sizeof(c), NODE), "fill", d->hop == 0 ? "#1d70b8" : fill, "stroke", stroke,
		          "stroke-width", width, "stroke-dasharray", is_unborn(d->p) ? "5 3" : NULL, NULL);
	else
		html_void(h, "rect", "x", num(a, sizeof(a), d->x - NODE), "y", num(b, sizeof(b), d->y - NODE), "width",
		          num(c, sizeof(c), 2 * NODE), "height", num(e, sizeof(e), 2 * NODE), "fill", fill, "stroke",
		          stroke, "stroke-width", width, NULL);
}

static void node_label(html *h, const node *d, buf *scratch)
{
	char a[32], b[32];
	double y = d->y + NODE + 16;

	buf_reset(scratch);
	short_name(scratch, name_of(d->p));
	html_open(h, "text", "x", num(a, sizeof(a), d->x), "y", num(b, sizeof(b), y), "text-anchor", "middle",
	          "paint-order", "stroke", "stroke", "#ffffff", "stroke-width", "4", NULL);
	html_text(h, buf_str(scratch));
	html_close(h, "text");
	if (is_unborn(d->p)) {
		y += 15;
		html_elem(h, "text", "unborn", "x", num(a, sizeof(a), d->x), "y", num(b, sizeof(b), y), "text-anchor",
		          "middle", "font-style", "italic", NULL);
	}
	if (at_risk(d->p)) {
		y += 15;
		html_elem(h, "text", "RISK TO CHILDREN", "x", num(a, sizeof(a), d->x), "y", num(b, sizeof(b), y),
		          "text-anchor", "middle", "font-weight", "bold", "fill", "#d4351c", "paint-order", "stroke",
		          "stroke", "#ffffff", "stroke-width", "4", NULL);
	}
}

/* Where a person's link goes: another child's record, else the table. */
static void person_href(buf *out, const node *d, const char *id)
{
	buf_reset(out);
	if (d->hop != 0 && is_child(d->p)) {
		buf_puts(out, "/children/");
		html_url_part(out, d->id);
	} else {
		buf_printf(out, "#%s-p-", id);
		html_url_part(out, d->id);
	}
}

static void person_words(buf *out, const json_t *p)
{
	buf_printf(out, "%s (%s), %s", name_of(p), str(p, "id"),
	           is_unborn(p) ? "unborn child" : is_child(p) ? "child" : "adult");
	if (at_risk(p))
		buf_puts(out, ", flagged as a risk to children");
}

static void describe(buf *d, const node *v, size_t n, size_t drawn, const json_t *links)
{
	size_t i, n1 = 0, n2 = 0, risk = 0;
	const json_t *l;

	for (i = 0; i < n; i++) {
		n1 += v[i].hop == 1;
		n2 += v[i].hop >= 2;
		risk += at_risk(v[i].p);
	}
	buf_printf(d, "%s at the centre, with %zu %s linked directly and %zu through them. ", name_of(v[0].p), n1,
	           n1 == 1 ? "person" : "people", n2);
	json_array_foreach(links, i, l) {
		const node *a = find((node *)v, n, str(l, "a")), *b = find((node *)v, n, str(l, "b"));
		if (!a || !b || (a->hop != 0 && b->hop != 0))
			continue;
		buf_printf(d, "%s is ", name_of(a->p));
		relation_words(d, str(l, "relation"));
		buf_printf(d, " of %s. ", name_of(b->p));
	}
	if (risk) {
		bool first = true;
		buf_printf(d, "Flagged as a risk to children: ");
		for (i = 0; i < n; i++)
			if (at_risk(v[i].p)) {
				buf_printf(d, "%s%s", first ? "" : ", ", name_of(v[i].p));
				first = false;
			}
		buf_puts(d, ". ");
	} else {
		buf_puts(d, "Nobody in it is flagged as a risk to children. ");
	}
	if (drawn < n)
		buf_printf(d, "%zu more people are not drawn. ", n - drawn);
	buf_puts(d, "The table below lists everyone and every link.");
}

static void draw_links(html *h, const node *v, size_t n, const json_t *links, buf *scratch)
{
	char a[32], b[32], c[32], e[32];
	size_t i;
	const json_t *l;

	json_array_foreach(links, i, l) {
		const node *p = find((node *)v, n, str(l, "a")), *q = find((node *)v, n, str(l, "b"));
		if (!p || !q || !p->drawn || !q->drawn)
			continue;
		html_void(h, "line", "x1", num(a, sizeof(a), p->x), "y1", num(b, sizeof(b), p->y), "x2",
		          num(c, sizeof(c), q->x), "y2", num(e, sizeof(e), q->y), "stroke", "#505a5f", "stroke-width",
		          "2", NULL);
	}
	json_array_foreach(links, i, l) {
		const node *p = find((node *)v, n, str(l, "a")), *q = find((node *)v, n, str(l, "b"));
		if (!p || !q || !p->drawn || !q->drawn)
			continue;
		html_open(h, "text", "x", num(a, sizeof(a), (p->x + q->x) / 2), "y", num(b, sizeof(b), (p->y + q->y) / 2 + 4),
		          "text-anchor", "middle", "font-size", "12", "fill", "#505a5f", "paint-order", "stroke",
		          "stroke", "#ffffff", "stroke-width", "4", NULL);
		buf_reset(scratch);
		relation_words(scratch, str(l, "relation"));
		html_text(h, scratch->data);
		html_close(h, "text");
	}
}

static void legend(html *h, const char *hatch)
{
	html_lit(h, "<g font-size=\"13\">");
	html_void(h, "circle", "cx", "24", "cy", "614", "r", "9", "fill", "#ffffff", "stroke", "#0b0c0c",
	          "stroke-width", "2", NULL);
	html_elem(h, "text", "Child", "x", "40", "y", "618", NULL);
	html_void(h, "rect", "x", "105", "y", "605", "width", "18", "height", "18", "fill", "#ffffff", "stroke",
	          "#0b0c0c", "stroke-width", "2", NULL);
	html_elem(h, "text", "Adult", "x", "131", "y", "618", NULL);
	html_void(h, "circle", "cx", "200", "cy", "614", "r", "9", "fill", "#ffffff", "stroke", "#0b0c0c",
	          "stroke-width", "2", "stroke-dasharray", "4 2", NULL);
	html_elem(h, "text", "Unborn child", "x", "216", "y", "618", NULL);
	html_void(h, "rect", "x", "320", "y", "605", "width", "18", "height", "18", "fill", hatch, "stroke",
	          "#d4351c", "stroke-width", "4", NULL);
	html_elem(h, "text", "Risk to children (red outline, hatched)", "x", "348", "y", "618", NULL);
	html_lit(h, "</g>");
}

void network_svg(html *h, const json_t *net, const network_opts *o)
{
	const char *id = o && o->id ? o->id : "net";
	const json_t *people = json_object_get(net, "people"), *links = json_object_get(net, "links"), *p;
	size_t n = json_array_size(people), i, drawn;
	node *v = xcalloc(n ? n : 1, sizeof(*v));
	buf t = BUF_INIT, d = BUF_INIT, both = BUF_INIT, text = BUF_INIT, hatch = BUF_INIT, href = BUF_INIT,
	    pat = BUF_INIT;

	json_array_foreach(people, i, p) {
		v[i].p = p;
		v[i].id = str(p, "id") ? str(p, "id") : "";
		v[i].hop = (int)json_integer_value(json_object_get(p, "hop"));
	}
	buf_printf(&t, "%s-title", id);
	buf_printf(&d, "%s-desc", id);
	buf_printf(&both, "%s %s", t.data, d.data);
	buf_printf(&pat, "%s-hatch", id);
	buf_printf(&hatch, "url(#%s)", pat.data);
	drawn = n ? place(v, n, links) : 0;

	html_open(h, "svg", "xmlns", "http://www.w3.org/2000/svg", "class", "sl-network", "role", "group",
	          "aria-labelledby", t.data, "viewBox", "0 0 960 640", "width", "100%", "font-family",
	          "Arial, sans-serif", "font-size", "14", "fill", "#0b0c0c", NULL);
	html_open(h, "svg", "role", "img", "aria-labelledby", both.data, "x", "0", "y", "0", "width", "960", "height",
	          "640", "viewBox", "0 0 960 640", NULL);
	buf_puts(&text, "Family and household network");
	if (n)
		buf_printf(&text, " of %s", name_of(v[0].p));
	html_elem(h, "title", text.data, "id", t.data, NULL);
	buf_reset(&text);
	if (n)
		describe(&text, v, n, drawn, links);
	else
		buf_puts(&text, "Nobody is recorded in this network.");
	html_elem(h, "desc", text.data, "id", d.data, NULL);
	html_lit(h, "<defs>");
	html_open(h, "pattern", "id", pat.data, "width", "8", "height", "8", "patternUnits", "userSpaceOnUse",
	          "patternTransform", "rotate(45)", NULL);
	html_void(h, "rect", "width", "8", "height", "8", "fill", "#ffffff", NULL);
	html_void(h, "line", "x1", "0", "y1", "0", "x2", "0", "y2", "8", "stroke", "#d4351c", "stroke-width", "3",
	          NULL);
	html_close(h, "pattern");
	html_lit(h, "</defs>");
	draw_links(h, v, n, links, &text);
	legend(h, hatch.data);
	if (drawn < n) {
		buf_reset(&text);
		buf_printf(&text, "%zu more people are listed in the table", n - drawn);
		html_elem(h, "text", text.data, "x", "950", "y", "618", "text-anchor", "end", NULL);
	}
	html_close(h, "svg");
	/* the people: links over the picture */
	html_lit(h, "<g class=\"sl-network__people\">");
	for (i = 0; i < n; i++) {
		if (!v[i].drawn)
			continue;
		person_href(&href, &v[i], id);
		buf_reset(&text);
		person_words(&text, v[i].p);
		html_open(h, "a", "href", href.data, "aria-label", text.data, NULL);
		html_elem(h, "title", text.data, NULL);
		node_shape(h, &v[i], hatch.data);
		node_label(h, &v[i], &text);
		html_close(h, "a");
	}
	html_lit(h, "</g>");
	html_close(h, "svg");
	free(v);
	buf_release(&t);
	buf_release(&d);
	buf_release(&both);
	buf_release(&text);
	buf_release(&hatch);
	buf_release(&href);
	buf_release(&pat);
}

static const char *hop_words(json_int_t hop)
{
	return hop == 0 ? "This child" : hop == 1 ? "Linked directly" : "Linked through another person";
}

void network_table(html *h, const json_t *net, const network_opts *o)
{
	const char *id = o && o->id ? o->id : "net";
	const json_t *people = json_object_get(net, "people"), *links = json_object_get(net, "links"), *p, *l, *f;
	size_t i, j, k;
	buf row = BUF_INIT, s = BUF_INIT;

	html_lit(h, "<table class=\"govuk-table\">");
	html_elem(h, "caption", "People in the network and how they are linked", "class",
	          "govuk-table__caption govuk-table__caption--m", NULL);
	html_lit(h, "<thead class=\"govuk-table__head\"><tr class=\"govuk-table__row\">"
	            "<th scope=\"col\" class=\"govuk-table__header\">Person</th>"
	            "<th scope=\"col\" class=\"govuk-table__header\">Who</th>"
	            "<th scope=\"col\" class=\"govuk-table__header\">Links</th>"
	            "<th scope=\"col\" class=\"govuk-table__header\">Risk to children</th>"
	            "</tr></thead><tbody class=\"govuk-table__body\">");
	json_array_foreach(people, i, p) {
		const char *pid = str(p, "id") ? str(p, "id") : "";
		bool any = false;

		buf_reset(&row);
		buf_printf(&row, "%s-p-", id);
		html_url_part(&row, pid);
		html_open(h, "tr", "class", "govuk-table__row", "id", row.data, NULL);
		html_open(h, "th", "scope", "row", "class", "govuk-table__header", NULL);
		if (json_integer_value(json_object_get(p, "hop")) != 0 && is_child(p)) {
			buf_reset(&s);
			buf_puts(&s, "/children/");
			html_url_part(&s, pid);
			html_open(h, "a", "class", "govuk-link", "href", s.data, NULL);
			html_text(h, name_of(p));
			html_close(h, "a");
		} else {
			html_text(h, name_of(p));
		}
		html_textf(h, " (%s)", pid);
		html_close(h, "th");
		buf_reset(&s);
		buf_printf(&s, "%s; %s", is_unborn(p) ? "Unborn child" : is_child(p) ? "Child" : "Adult",
		           hop_words(json_integer_value(json_object_get(p, "hop"))));
		html_elem(h, "td", s.data, "class", "govuk-table__cell", NULL);
		html_lit(h, "<td class=\"govuk-table__cell\">");
		json_array_foreach(links, j, l) {
			const char *a = str(l, "a"), *b = str(l, "b"), *other;
			const json_t *q = NULL;
			if (!a || !b || (strcmp(a, pid) != 0 && strcmp(b, pid) != 0))
				continue;
			other = strcmp(a, pid) == 0 ? b : a;
			json_array_foreach(people, k, q) if (str(q, "id") && strcmp(str(q, "id"), other) == 0) break;
			if (k == json_array_size(people))
				q = NULL;
			buf_reset(&s);
			if (strcmp(a, pid) == 0) {
				relation_words(&s, str(l, "relation"));
				buf_printf(&s, " of %s", q ? name_of(q) : other);
			} else {
				buf_printf(&s, "%s is their ", q ? name_of(q) : other);
				relation_words(&s, str(l, "relation"));
			}
			if (str(l, "since"))
				buf_printf(&s, " (since %s)", str(l, "since"));
			if (any)
				html_lit(h, "<br>");
			html_text(h, s.data);
			any = true;
		}
		if (!any)
			html_text(h, "None recorded");
		html_lit(h, "</td><td class=\"govuk-table__cell\">");
		if (at_risk(p))
			html_elem(h, "strong", "Risk to children", "class", "govuk-tag govuk-tag--red", NULL);
		any = false;
		json_array_foreach(json_object_get(p, "risk_flags"), j, f) {
			buf_reset(&s);
			buf_printf(&s, "%s%s (%s, %s)", any || at_risk(p) ? " " : "", str(f, "summary") ? str(f, "summary") : "",
			           str(f, "agency") ? str(f, "agency") : "", str(f, "day") ? str(f, "day") : "");
			html_text(h, s.data);
			any = true;
		}
		if (!any && !at_risk(p))
			html_text(h, "None recorded");
		html_lit(h, "</td></tr>");
	}
	html_lit(h, "</tbody></table>");
	buf_release(&row);
	buf_release(&s);
}
