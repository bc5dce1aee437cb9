/*
 * census_xml.c - the census return as the DfE's XML: a <Message> with no
 * namespace, its Header, then Children, written with libxml2's
 * xmlTextWriter (which escapes every text node) straight into the
 * caller's buffer through an output callback, so a return of tens of
 * megabytes is built once, not copied.
 *
 * Element order is the specification's (docs/census.md lists it):
 * ChildIdentifiers, ChildCharacteristics, then each CINdetails with its
 * own items before its Assessments, CINPlanDates, Section47 and
 * ChildProtectionPlans groups.  An item the record does not have is left
 * out, never written empty: COLLECT reads an empty element as a value.
 * Dates are YYYY-MM-DD; booleans are `true` / `false` (xs:boolean; the
 * DfE's validator also accepts 1 / 0).
 */
#include "util/common.h"

#include <libxml/xmlwriter.h>

#include "report/census.h"
#include "util/date.h"

typedef struct writer {
	xmlTextWriterPtr w;
	bool failed;
	buf scratch;
} writer;

static int to_buf(void *ctx, const char *data, int len)
{
	buf_append(ctx, data, (size_t)len);
	return len;
}

static int no_close(void *ctx)
{
	(void)ctx;
	return 0;
}

static void start(writer *x, const char *name)
{
	if (!x->failed && xmlTextWriterStartElement(x->w, BAD_CAST name) < 0)
		x->failed = true;
}

static void end(writer *x)
{
	if (!x->failed && xmlTextWriterEndElement(x->w) < 0)
		x->failed = true;
}

static void text(writer *x, const char *name, const char *value)
{
	if (!x->failed && xmlTextWriterWriteElement(x->w, BAD_CAST name, BAD_CAST value) < 0)
		x->failed = true;
}

/* Optional items: absent ("" or NULL) is left out. */
static void text_opt(writer *x, const char *name, const char *value)
{
	if (value && value[0])
		text(x, name, value);
}

static void day(writer *x, const char *name, int32_t d)
{
	if (d == CENSUS_NONE)
		return;
	buf_reset(&x->scratch);
	date_format_day(&x->scratch, d);
	text(x, name, x->scratch.data);
}

static void number(writer *x, const char *name, uint64_t n)
{
	buf_reset(&x->scratch);
	buf_printf(&x->scratch, "%llu", (unsigned long long)n);
	text(x, name, x->scratch.data);
}

static void boolean(writer *x, const char *name, bool v)
{
	text(x, name, v ? "true" : "false");
}

static void write_header(writer *x, const census_year *y, const census_source *src)
{
	start(x, "Header");
	start(x, "CollectionDetails");
	text(x, "Collection", "CIN");
	number(x, "Year", (uint64_t)y->collection_year);
	day(x, "ReferenceDate", y->end);
	end(x);
	start(x, "Source");
	text(x, "SourceLevel", "L");
	text(x, "LEA", src->la);
	text(x, "SoftwareCode", CENSUS_SOFTWARE_CODE);
	text(x, "Release", src->release);
	number(x, "SerialNo", src->serial);
	text(x, "DateTime", src->date_time);
	end(x);
	end(x);
}

static void write_identity(writer *x, const census_year *y, const cf_child *ch)
{
	start(x, "ChildIdentifiers");
	text(x, "LAchildID", ch->id);
	if (ch->upn[0])
		text(x, "UPN", ch->upn);
	text_opt(x, "FormerUPN", ch->former_upn);
	if (!ch->upn[0])
		text_opt(x, "UPNunknown", ch->upn_unknown);
	/* Born, or expected: never both (a birth recorded replaces the
	 * expected date). */
	if (ch->born != CF_NONE)
		day(x, "PersonBirthDate", ch->born);
	else
		day(x, "ExpectedPersonBirthDate", ch->expected);
	text_opt(x, "Sex", ch->sex);
	if (ch->died != CF_NONE && ch->died <= y->end)
		day(x, "PersonDeathDate", ch->died);
	end(x);

	start(x, "ChildCharacteristics");
	text_opt(x, "Ethnicity", ch->ethnicity);
	if (ch->n_disabilities) {
		start(x, "Disabilities");
		for (size_t i = 0; i < ch->n_disabilities; i++)
			text(x, "Disability", ch->disabilities[i]);
		end(x);
	}
	end(x);
}

static void write_assessment(writer *x, const census_assessment *a)
{
	start(x, "Assessments");
	day(x, "AssessmentActualStartDate", a->start);
	day(x, "AssessmentAuthorisationDate", a->authorised);
	if (a->n_factors) {
		start(x, "FactorsIdentifiedAtAssessment");
		for (size_t i = 0; i < a->n_factors; i++)
			text(x, "AssessmentFactors", a->factors[i]);
		end(x);
	}
	end(x);
}

static void write_s47(writer *x, const census_s47 *s)
{
	start(x, "Section47");
	day(x, "S47ActualStartDate", s->start);
	day(x, "InitialCPCtarget", s->icpc_target);
	day(x, "DateOfInitialCPC", s->icpc);
	if (s->icpc_not_required >= 0)
		boolean(x, "ICPCnotRequired", s->icpc_not_required == 1);
	end(x);
}

static void write_plan(writer *x, const census_cp_plan *p)
{
	start(x, "ChildProtectionPlans");
	day(x, "CPPstartDate", p->start);
	day(x, "CPPendDate", p->end);
	text_opt(x, "InitialCategoryOfAbuse", p->initial_category);
	text_opt(x, "LatestCategoryOfAbuse", p->latest_category);
	number(x, "NumberOfPreviousCPP", p->previous);
	if (p->n_reviews) {
		start(x, "Reviews");
		for (size_t i = 0; i < p->n_reviews; i++)
			day(x, "CPPreviewDate", p->reviews[i].day);
		end(x);
	}
	end(x);
}

static void write_episode(writer *x, const census_episode *e)
{
	size_t i;

	start(x, "CINdetails");
	day(x, "CINreferralDate", e->referral);
	text_opt(x, "ReferralSource", e->source);
	text_opt(x, "PrimaryNeedCode", e->primary_need);
	day(x, "CINclosureDate", e->closure);
	text_opt(x, "ReasonForClosure", e->closure_reason);
	day(x, "DateOfInitialCPC", e->initial_cpc);
	boolean(x, "ReferralNFA", e->nfa);
	for (i = 0; i < e->n_assessments; i++)
		write_assessment(x, &e->assessments[i]);
	for (i = 0; i < e->n_cin_plans; i++) {
		start(x, "CINPlanDates");
		day(x, "CINPlanStartDate", e->cin_plans[i].start);
		day(x, "CINPlanEndDate", e->cin_plans[i].end);
		end(x);
	}
	for (i = 0; i < e->n_s47s; i++)
		write_s47(x, &e->s47s[i]);
	for (i = 0; i < e->n_plans; i++)
		write_plan(x, &e->plans[i]);
	end(x);
}

int census_xml_write(const census *c, const census_source *src, buf *out, sl_err *err)
{
	const census_year *y = census_get_year(c);
	writer x = {NULL, false, BUF_INIT};
	xmlOutputBufferPtr ob;
	size_t i, j, mark = out->len;
	int rc = 0;

	if ((rc = census_la_check(src->la, err)))
		return rc;
	ob = xmlOutputBufferCreateIO(to_buf, no_close, out, NULL);
	if (!ob || !(x.w = xmlNewTextWriter(ob))) {
		if (ob)
			xmlOutputBufferClose(ob);
		return sl_fail(err, SL_ENOMEM, "cannot start the census XML writer");
	}
	/* Two spaces of indent: readable in a text editor, and COLLECT
	 * ignores whitespace between elements. */
	if (xmlTextWriterSetIndent(x.w, 1) < 0 || xmlTextWriterSetIndentString(x.w, BAD_CAST "  ") < 0 ||
	    xmlTextWriterStartDocument(x.w, "1.0", "UTF-8", NULL) < 0)
		x.failed = true;
	start(&x, "Message");
	write_header(&x, y, src);
	start(&x, "Children");
	for (i = 0; i < census_count(c); i++) {
		const census_child *ch = census_child_at(c, i);

		start(&x, "Child");
		write_identity(&x, y, ch->cf);
		for (j = 0; j < ch->n_episodes; j++)
			write_episode(&x, &ch->episodes[j]);
		end(&x);
	}
	end(&x);
	end(&x);
	if (!x.failed && (xmlTextWriterEndDocument(x.w) < 0 || xmlTextWriterFlush(x.w) < 0))
		x.failed = true;
	xmlFreeTextWriter(x.w); /* closes ob */
	if (x.failed) {
		buf_truncate(out, mark);
		rc = sl_fail(err, SL_EIO, "the census XML could not be written (a value is not valid UTF-8, or out of memory)");
	}
	buf_release(&x.scratch);
	return rc;
}
