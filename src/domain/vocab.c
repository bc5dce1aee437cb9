/*
 * vocab.c - event vocabulary v1.1 (DESIGN 5, with the census facts of
 * docs/vocabulary.md), as tables.  See vocab.h.
 *
 * Three tables carry the vocabulary:
 *   - value types (T_*), each with one checker function in `checkers`;
 *   - fields: name, type, required, and the type's argument (the enum words,
 *     the census list, or the kind an event reference must point at);
 *   - kinds: name, field table, and an optional check for the rules that
 *     span fields (a child needs born or expected, ...).
 * The envelope itself is a field table too, so "unknown field", "missing
 * required field" and type errors read the same at every level.
 *
 * Order of checks inside one object: unknown members first (a misspelt
 * `chlid` is better reported as unknown than as a missing `child`), then
 * each field in table order, then the kind's cross-field check.  Syntax is
 * checked before a value is handed to the resolver, so the resolver only
 * ever sees well-formed ids and refs.
 *
 * Strings from the event are quoted in messages only through show_value(),
 * which cuts them short and blanks control characters, because messages end
 * up in logs, terminals and HTML.
 */
#include "util/common.h"

#include <jansson.h>

#include "domain/codes.h"
#include "domain/nhs.h"
#include "domain/vocab.h"
#include "util/date.h"

/* ---- value types ------------------------------------------------------ */

typedef enum {
	T_TEXT,       /* free text: \n \r \t allowed, up to VOCAB_MAX_TEXT bytes */
	T_SHORT,      /* one line of text, up to VOCAB_MAX_SHORT bytes */
	T_LOGIN,      /* a user's login: no spaces, up to VOCAB_MAX_ID bytes */
	T_BOOL,
	T_ENUM,       /* one of arg (NULL-terminated words) */
	T_ENUMS,      /* array of distinct words from arg */
	T_AGENCY,     /* one of the agencies */
	T_CODE,       /* a code of the census list arg (const census *) */
	T_CODES,      /* array of distinct codes of that list */
	T_DAY,        /* YYYY-MM-DD */
	T_DATETIME,   /* date_parse: YYYY-MM-DD or RFC 3339 */
	T_NHS,        /* NHS number */
	T_UPN,        /* unique pupil number */
	T_CHILD,      /* an existing person who is a child */
	T_ADULT,      /* an existing person who is an adult */
	T_PERSON,     /* an existing person of either role */
	T_PERSON_NEW, /* a person id not yet taken */
	T_PERSONS,    /* non-empty array of distinct existing persons */
	T_EVENT,      /* ref or seq of an event of kind arg (const char *) */
	T_TARGET,     /* ref or seq of an event an amendment may correct */
	T_ALERT,      /* an alert ref (DESIGN 6.1.14) */
	T_SEQS,       /* non-empty array of seq numbers (an alert's evidence) */
	T_AMEND,      /* replacement fields for the target's kind */
	T_KIND,       /* envelope: the kind */
	T_BY,         /* envelope: who the information came from */
	T_REF_NEW,    /* envelope: the event's own ref, not yet used */
	T_DATA,       /* envelope: the data object of the kind */
	T_COUNT
} vtype;

#define REQ true
#define OPT false

typedef struct field {
	const char *name;
	vtype type;
	bool required;
	const void *arg; /* what the type needs; see vtype */
} field;

/* A census code list as vocab uses it. */
typedef struct census {
	const char *list;  /* list name in data/cin-census-codes.tsv */
	const char *label; /* for messages: "`9Z` is not a <label>" */
	const char *alone; /* a code that must be the only one in an array, or NULL */
} census;

typedef struct vctx vctx;

typedef struct kind {
	const char *name;
	const field *fields;
	size_t nfields;
	int (*check)(vctx *c, const json_t *data); /* cross-field rules, or NULL */
} kind;

struct vctx {
	const vocab_resolver *r;
	const vocab_opts *opts;
	const json_t *event;
	sl_err *err;
	const kind *kind;        /* set once `kind` has been checked */
	const kind *target_kind; /* amendment.requested: the target's kind, when resolvable */
};

/* Where a value sits, for messages: prefix.name[index]. */
typedef struct path {
	const char *prefix; /* "" at the top level, else "data", "by", "data.data" */
	const char *name;
	long index; /* array element, or -1 */
} path;

/* ---- word lists ------------------------------------------------------- */

static const char *const agencies[] = {
	"police", "health", "education", "probation", "housing", "early_help",
	"other_la", "voluntary", "social_care", "other", NULL,
};
static const char *const person_roles[] = {"child", "adult", NULL};
static const char *const genders[] = {"male", "female", "other", "unknown", NULL};
static const char *const relations[] = {
	"mother", "father", "parent", "step_parent", "partner_of_parent", "carer",
	"sibling", "grandparent", "household_member", "relative", "other", NULL,
};
static const char *const referral_decisions[] = {"nfa", "assessment", "strategy", "early_help", NULL};
static const char *const assessment_outcomes[] = {
	"nfa", "cin_plan", "strategy", "early_help", "lac", NULL,
};
static const char *const conference_types[] = {"initial", "review", NULL};
static const char *const meeting_types[] = {
	"core_group", "professionals", "legal_planning", "family_group", "other", NULL,
};
static const char *const abuse_categories[] = {
	"neglect", "physical", "emotional", "sexual", "multiple", NULL,
};
static const char *const concern_categories[] = {
	"neglect", "physical", "emotional", "sexual", "multiple",
	"exploitation", "domestic_abuse", "other", NULL,
};
static const char *const missing_indicators[] = {
	"cse", "cce", "substances", "older_associates", NULL,
};
static const char *const escalation_to[] = {"director", "manager", NULL};

/* The vocabulary's abuse categories are words (the rules compare them, and
 * `multiple` covers the other four, DESIGN 6.1.11); the census return needs
 * the DfE's codes for the same categories. */
static const struct {
	const char *word;
	const char *code;
} abuse_census[] = {
	{"neglect", "NEG"}, {"physical", "PHY"}, {"emotional", "EMO"},
	{"sexual", "SAB"},  {"multiple", "MUL"},
};

static const census referral_source = {"referral_source", "CIN referral source code", NULL};
static const census primary_need = {"primary_need", "CIN primary need code", NULL};
static const census closure_reason = {"closure_reason", "CIN closure reason code (RC1-RC9)", NULL};
/* 21 is "No factors identified (must be the only factor)". */
static const census assessment_factor = {"assessment_factor", "CIN assessment factor code", "21"};
/* Vocabulary v1.1: what the census return needs to know of a child. */
static const census sex_code = {"sex", "census sex code (M, F, U)", NULL};
static const census ethnicity = {"ethnicity", "census ethnicity code", NULL};
static const census disability = {"disability", "census disability code", "NONE"};
static const census upn_unknown = {"upn_unknown", "UPN-unknown reason code (UN1-UN7)", NULL};

/* The fields that say whom or what an event is about: an amendment may not
 * change them, because "an amendment corrects what was recorded, not whom
 * it is about" - moving a note to another child is a new note. */
static const char *const about_fields[] = {
	"child", "person", "a", "b", "persons", "concern", "request",
	"escalation", "alert", "target", "id", NULL,
};

/* ---- kinds ------------------------------------------------------------ */

#define CHILD {"child", T_CHILD, REQ, NULL}

/* What person.registered records beyond id, role and name, and what
 * person.updated may change along with those two.  v1.1 added the census's
 * facts: sex (the DfE code; `gender` stays as recorded), ethnicity,
 * disabilities, the reason a UPN is unknown, a former UPN, and the date of
 * death. */
#define PERSON_DETAILS                                                          \
	{"born", T_DAY, OPT, NULL}, {"expected", T_DAY, OPT, NULL},             \
	{"gender", T_ENUM, OPT, genders}, {"nhs_number", T_NHS, OPT, NULL},     \
	{"upn", T_UPN, OPT, NULL}, {"former_upn", T_UPN, OPT, NULL},            \
	{"upn_unknown", T_CODE, OPT, &upn_unknown},                             \
	{"sex", T_CODE, OPT, &sex_code}, {"ethnicity", T_CODE, OPT, &ethnicity}, \
	{"disabilities", T_CODES, OPT, &disability}, {"died", T_DAY, OPT, NULL}

static const field f_person_registered[] = {
	{"id", T_PERSON_NEW, REQ, NULL},
	{"role", T_ENUM, REQ, person_roles},
	{"name", T_SHORT, REQ, NULL},
	PERSON_DETAILS,
};
static const field f_person_updated[] = {
	{"id", T_PERSON, REQ, NULL},
	{"role", T_ENUM, OPT, person_roles},
	{"name", T_SHORT, OPT, NULL},
	PERSON_DETAILS,
};
static const field f_person_link[] = {
	{"a", T_PERSON, REQ, NULL},
	{"b", T_PERSON, REQ, NULL},
	{"relation", T_ENUM, REQ, relations},
};
static const field f_contact_received[] = {
	CHILD,
	{"source", T_CODE, REQ, &referral_source},
	{"summary", T_TEXT, REQ, NULL},
	{"categories", T_ENUMS, OPT, concern_categories},
};
static const field f_referral_decided[] = {
	CHILD,
	{"decision", T_ENUM, REQ, referral_decisions},
	{"primary_need", T_CODE, OPT, &primary_need},
};
static const field f_child_only[] = {CHILD};
static const field f_assessment_completed[] = {
	CHILD,
	{"outcome", T_ENUM, REQ, assessment_outcomes},
	{"factors", T_CODES, OPT, &assessment_factor},
	/* v1.1: the day a manager authorised it (the census's
	 * AssessmentAuthorisationDate); absent, the day it was completed. */
	{"authorised_on", T_DAY, OPT, NULL},
};
static const field f_strategy_held[] = {CHILD, {"s47", T_BOOL, REQ, NULL}};
static const field f_s47_completed[] = {CHILD, {"icpc", T_BOOL, REQ, NULL}};
static const field f_conference_held[] = {
	CHILD,
	{"type", T_ENUM, REQ, conference_types},
	{"plan", T_BOOL, REQ, NULL},
	{"category", T_ENUM, OPT, abuse_categories},
};
static const field f_meeting_held[] = {
	CHILD,
	{"type", T_ENUM, REQ, meeting_types},
	{"summary", T_TEXT, OPT, NULL},
};
static const field f_lac_started[] = {CHILD, {"legal_status", T_SHORT, OPT, NULL}};
static const field f_lac_ended[] = {CHILD, {"reason", T_SHORT, OPT, NULL}};
static const field f_visit_recorded[] = {
	CHILD,
	{"seen", T_BOOL, REQ, NULL},
	{"seen_alone", T_BOOL, OPT, NULL},
	{"summary", T_TEXT, OPT, NULL},
};
static const field f_note_recorded[] = {CHILD, {"text", T_TEXT, REQ, NULL}};
static const field f_agency_info_received[] = {
	{"person", T_PERSON, REQ, NULL},
	{"agency", T_AGENCY, REQ, NULL},
	{"summary", T_TEXT, REQ, NULL},
	{"significant_harm", T_BOOL, OPT, NULL},
};
static const field f_concern_raised[] = {
	CHILD,
	{"category", T_ENUM, REQ, concern_categories},
	{"summary", T_TEXT, REQ, NULL},
	{"significant_harm", T_BOOL, OPT, NULL},
	{"agency", T_AGENCY, OPT, NULL},
};
static const field f_concern_resolved[] = {
	CHILD,
	{"concern", T_EVENT, REQ, "concern.raised"},
	{"rationale", T_TEXT, REQ, NULL},
};
static const field f_injury_observed[] = {
	CHILD,
	{"description", T_TEXT, REQ, NULL},
	{"agency", T_AGENCY, REQ, NULL},
	{"body_part", T_SHORT, OPT, NULL},
	{"explanation", T_TEXT, OPT, NULL},
};
static const field f_missing_started[] = {
	CHILD,
	{"indicators", T_ENUMS, OPT, missing_indicators},
};
static const field f_missing_ended[] = {CHILD, {"return_interview", T_BOOL, OPT, NULL}};
static const field f_child_summary[] = {CHILD, {"summary", T_TEXT, REQ, NULL}};
static const field f_risk_flagged[] = {
	{"person", T_ADULT, REQ, NULL},
	{"agency", T_AGENCY, REQ, NULL},
	{"summary", T_TEXT, REQ, NULL},
	{"risk_to_children", T_BOOL, OPT, NULL},
};
static const field f_risk_cleared[] = {
	{"person", T_ADULT, REQ, NULL},
	{"agency", T_AGENCY, REQ, NULL},
	{"rationale", T_TEXT, REQ, NULL},
};
static const field f_domestic_abuse_notified[] = {
	{"persons", T_PERSONS, REQ, NULL},
	{"agency", T_AGENCY, REQ, NULL},
	{"marac", T_BOOL, OPT, NULL},
	{"summary", T_TEXT, OPT, NULL},
};
static const field f_case_allocated[] = {
	CHILD,
	{"worker", T_LOGIN, REQ, NULL},
	{"team", T_SHORT, OPT, NULL},
};
static const field f_case_closed[] = {
	CHILD,
	{"reason", T_CODE, REQ, &closure_reason},
	{"rationale", T_TEXT, OPT, NULL},
	{"authorised_by", T_LOGIN, OPT, NULL},
};
static const field f_escalation_raised[] = {
	{"to", T_ENUM, REQ, escalation_to},
	{"summary", T_TEXT, REQ, NULL},
	{"child", T_CHILD, OPT, NULL},
};
static const field f_escalation_answered[] = {
	{"escalation", T_EVENT, REQ, "escalation.raised"},
	{"response", T_TEXT, REQ, NULL},
};
static const field f_amendment_requested[] = {
	{"target", T_TARGET, REQ, NULL},
	{"reason", T_TEXT, REQ, NULL},
	{"data", T_AMEND, REQ, NULL},
};
static const field f_amendment_approved[] = {
	{"request", T_EVENT, REQ, "amendment.requested"},
};
static const field f_amendment_rejected[] = {
	{"request", T_EVENT, REQ, "amendment.requested"},
	{"reason", T_TEXT, REQ, NULL},
};
/* Raised by the rules engine only (DESIGN 6); the envelope's ref is the
 * alert's ref and occurred_at the day it was raised. */
static const field f_alert_raised[] = {
	{"code", T_SHORT, REQ, NULL},
	{"child", T_CHILD, OPT, NULL},
	{"reason", T_TEXT, REQ, NULL},
	{"evidence", T_SEQS, REQ, NULL},
};
/* Who may read a child's record (DESIGN 8): sealing needs a named grant
 * or break-glass to open the record; a grant names a user's login. */
static const field f_record_sealing[] = {CHILD, {"reason", T_TEXT, REQ, NULL}};
static const field f_access_grant[] = {
	CHILD,
	{"user", T_LOGIN, REQ, NULL},
	{"reason", T_TEXT, REQ, NULL},
};
static const field f_alert_acknowledged[] = {
	{"alert", T_ALERT, REQ, NULL},
	{"note", T_TEXT, OPT, NULL},
};
static const field f_alert_resolved[] = {
	{"alert", T_ALERT, REQ, NULL},
	{"rationale", T_TEXT, REQ, NULL},
};

static int check_person_registered(vctx *c, const json_t *data);
static int check_person_updated(vctx *c, const json_t *data);
static int check_person_link(vctx *c, const json_t *data);
static int check_conference_held(vctx *c, const json_t *data);
static int check_alert_raised(vctx *c, const json_t *data);

#define KIND(name, fields, check) {name, fields, SL_ARRAY_LEN(fields), check}

static const kind kinds[] = {
	KIND("person.registered", f_person_registered, check_person_registered),
	KIND("person.updated", f_person_updated, check_person_updated),
	KIND("person.linked", f_person_link, check_person_link),
	KIND("person.unlinked", f_person_link, check_person_link),
	KIND("contact.received", f_contact_received, NULL),
	KIND("referral.decided", f_referral_decided, NULL),
	KIND("assessment.started", f_child_only, NULL),
	KIND("assessment.completed", f_assessment_completed, NULL),
	KIND("strategy.held", f_strategy_held, NULL),
	KIND("s47.completed", f_s47_completed, NULL),
	KIND("conference.held", f_conference_held, check_conference_held),
	KIND("meeting.held", f_meeting_held, NULL),
	KIND("cin_plan.started", f_child_only, NULL),
	KIND("cin_plan.ended", f_child_only, NULL),
	KIND("lac.started", f_lac_started, NULL),
	KIND("lac.ended", f_lac_ended, NULL),
	KIND("visit.recorded", f_visit_recorded, NULL),
	KIND("note.recorded", f_note_recorded, NULL),
	KIND("agency_info.received", f_agency_info_received, NULL),
	KIND("concern.raised", f_concern_raised, NULL),
	KIND("concern.resolved", f_concern_resolved, NULL),
	KIND("injury.observed", f_injury_observed, NULL),
	KIND("missing.started", f_missing_started, NULL),
	KIND("missing.ended", f_missing_ended, NULL),
	KIND("return_interview.recorded", f_child_summary, NULL),
	KIND("risk.flagged", f_risk_flagged, NULL),
	KIND("risk.cleared", f_risk_cleared, NULL),
	KIND("domestic_abuse.notified", f_domestic_abuse_notified, NULL),
	KIND("case.allocated", f_case_allocated, NULL),
	KIND("case.closed", f_case_closed, NULL),
	KIND("escalation.raised", f_escalation_raised, NULL),
	KIND("escalation.answered", f_escalation_answered, NULL),
	KIND("supervision.recorded", f_child_summary, NULL),
	KIND("amendment.requested", f_amendment_requested, NULL),
	KIND("amendment.approved", f_amendment_approved, NULL),
	KIND("amendment.rejected", f_amendment_rejected, NULL),
	KIND("alert.raised", f_alert_raised, check_alert_raised),
	KIND("alert.acknowledged", f_alert_acknowledged, NULL),
	KIND("alert.resolved", f_alert_resolved, NULL),
	KIND("record.sealed", f_record_sealing, NULL),
	KIND("record.unsealed", f_record_sealing, NULL),
	KIND("access.granted", f_access_grant, NULL),
	KIND("access.revoked", f_access_grant, NULL),
	/* system-only: recorded with the access log entry when someone breaks
	 * the glass on a sealed record, so the child's team manager sees it */
	KIND("access.break_glass", f_access_grant, NULL),
};

/* The envelope (DESIGN 4 and 5).  `kind` comes first so that `data` can be
 * checked against it.  `recorder` comes last: a live write leaves it out of
 * the table (the server sets it from the session), a restore of an export
 * line must carry it. */
static const field envelope[] = {
	{"kind", T_KIND, REQ, NULL},
	{"occurred_at", T_DATETIME, REQ, NULL},
	{"by", T_BY, REQ, NULL},
	{"ref", T_REF_NEW, OPT, NULL},
	{"data", T_DATA, REQ, NULL},
	{"recorder", T_LOGIN, REQ, NULL},
};
/* by: {"user": login} or {"agency": ..., "role": ..., "name": ...}; which
 * combination is checked in check_by(). */
static const field by_fields[] = {
	{"user", T_LOGIN, OPT, NULL},
	{"agency", T_AGENCY, OPT, NULL},
	{"role", T_SHORT, OPT, NULL},
	{"name", T_SHORT, OPT, NULL},
};

/* ---- small helpers ---------------------------------------------------- */

/* Linear, as the tables are short; the first byte rules out most entries
 * without a call (every event looks up its kind and each member). */
static const kind *find_kind(const char *name)
{
	for (size_t i = 0; i < SL_ARRAY_LEN(kinds); i++)
		if (kinds[i].name[0] == name[0] && strcmp(kinds[i].name, name) == 0)
			return &kinds[i];
	return NULL;
}

static const field *find_field(const field *fields, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (fields[i].name[0] == name[0] && strcmp(fields[i].name, name) == 0)
			return &fields[i];
	return NULL;
}

static bool in_words(const char *const *words, const char *s)
{
	for (; *words; words++)
		if (strcmp(*words, s) == 0)
			return true;
	return false;
}

static bool has_prefix(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

static bool is_id_char(char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
	       ch == '-' || ch == '_' || ch == '.';
}

static bool is_digit(char ch)
{
	return ch >= '0' && ch <= '9';
}

static bool is_alnum(char ch)
{
	return is_digit(ch) || (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z');
}

static void path_format(buf *b, const path *p)
{
	if (p->prefix[0])
		buf_printf(b, "%s.", p->prefix);
	buf_puts(b, p->name);
	if (p->index >= 0)
		buf_printf(b, "[%ld]", p->index);
}

/* A control character (C0, DEL, or C1 U+0080-U+009F, which UTF-8 writes as
 * C2 80..C2 9F) starts at s[i] of a string of len bytes. */
static bool control_at(const unsigned char *s, size_t i, size_t len)
{
	return s[i] < 0x20 || s[i] == 0x7F ||
	       (s[i] == 0xC2 && i + 1 < len && s[i + 1] >= 0x80 && s[i + 1] <= 0x9F);
}

/* At most 40 bytes of a value for a message, cut on a UTF-8 character
 * boundary, control characters shown as '?'. */
static void show_value(buf *b, const char *value)
{
	const unsigned char *s = (const unsigned char *)value;
	size_t n = strlen(value), cut = n > 40 ? 40 : n;

	while (cut < n && cut > 0 && (s[cut] & 0xC0) == 0x80)
		cut--;
	for (size_t i = 0; i < cut; i++) {
		if (!control_at(s, i, n)) {
			buf_putc(b, (char)s[i]);
			continue;
		}
		buf_putc(b, '?');
		i += s[i] == 0xC2; /* a C1 control is two bytes */
	}
	if (cut < n)
		buf_puts(b, "...");
}

/* Put "field `P`: " in front of the message already in c->err. */
static void prefix_field(vctx *c, const path *p)
{
	buf where = BUF_INIT;

	path_format(&where, p);
	sl_err_prefix(c->err, "field `%s`", buf_str(&where));
	buf_release(&where);
}

/* "field `P`: <message>" */
static int fail_at(vctx *c, int code, const path *p, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static int fail_at(vctx *c, int code, const path *p, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	sl_vfail(c->err, code, fmt, ap);
	va_end(ap);
	prefix_field(c, p);
	return code;
}

/* "field `P`: `<value>` <reason>" */
static int fail_value(vctx *c, const path *p, const char *value, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static int fail_value(vctx *c, const path *p, const char *value, const char *fmt, ...)
{
	buf shown = BUF_INIT, reason = BUF_INIT;
	va_list ap;
	int rc;

	show_value(&shown, value);
	va_start(ap, fmt);
	buf_vprintf(&reason, fmt, ap);
	va_end(ap);
	rc = fail_at(c, SL_EINVAL, p, "`%s` %s", buf_str(&shown), buf_str(&reason));
	buf_release(&shown);
	buf_release(&reason);
	return rc;
}

static int fail_words(vctx *c, const path *p, const char *value, const char *const *words)
{
	buf list = BUF_INIT;
	int rc;

	for (const char *const *w = words; *w; w++)
		buf_printf(&list, "%s%s", w == words ? "" : ", ", *w);
	rc = fail_value(c, p, value, "is not one of %s", buf_str(&list));
	buf_release(&list);
	return rc;
}

static int fail_missing(vctx *c, const path *p, const char *why)
{
	buf where = BUF_INIT;

	path_format(&where, p);
	sl_fail(c->err, SL_EINVAL, "missing required field `%s`%s", buf_str(&where), why);
	buf_release(&where);
	return SL_EINVAL;
}

/* "unknown field `prefix.key`<why>"; the key is the user's, so it is shown
 * the way values are. */
static int fail_unknown(vctx *c, const char *prefix, const char *key, const char *why)
{
	buf where = BUF_INIT;

	if (prefix[0])
		buf_printf(&where, "%s.", prefix);
	show_value(&where, key);
	sl_fail(c->err, SL_EINVAL, "unknown field `%s`%s", buf_str(&where), why);
	buf_release(&where);
	return SL_EINVAL;
}

/* A resolver callback said no: keep its code and reason, add the field. */
static int resolver_failed(vctx *c, int rc, const path *p)
{
	if (!c->err->msg[0])
		sl_fail(c->err, rc, "refused by the ledger");
	c->err->code = rc;
	prefix_field(c, p);
	return rc;
}

/* ---- strings ---------------------------------------------------------- */

enum {
	S_LINES = 1,    /* \n \r \t allowed (free text) */
	S_NO_SPACE = 2, /* no ' ' (logins) */
};

/*
 * The checks every string shares: a string, non-empty, at most max bytes,
 * no control characters (but \n \r \t in free text).  The length comes
 * from jansson, not strlen(), so an embedded NUL (possible in a json_t built
 * by hand) counts as the control character it is instead of silently
 * cutting the string.
 */
static int get_string(vctx *c, const path *p, const json_t *v, size_t max, unsigned flags,
		      const char **out)
{
	const unsigned char *s;
	size_t len;

	if (!json_is_string(v))
		return fail_at(c, SL_EINVAL, p, "expected a string");
	s = (const unsigned char *)json_string_value(v);
	len = json_string_length(v);
	if (len == 0)
		return fail_at(c, SL_EINVAL, p, "expected a non-empty string");
	if (len > max)
		return fail_at(c, SL_EINVAL, p, "longer than %zu bytes", max);
	for (size_t i = 0; i < len; i++) {
		bool ws = s[i] == '\n' || s[i] == '\r' || s[i] == '\t';
		if (control_at(s, i, len) && !(ws && (flags & S_LINES)))
			return fail_at(c, SL_EINVAL, p, "contains a control character");
		if (s[i] == ' ' && (flags & S_NO_SPACE))
			return fail_at(c, SL_EINVAL, p, "contains a space");
	}
	*out = (const char *)s;
	return 0;
}

static int get_person_id(vctx *c, const path *p, const json_t *v, const char **out)
{
	int rc = get_string(c, p, v, VOCAB_MAX_ID, 0, out);

	if (rc < 0)
		return rc;
	if (!vocab_person_id_valid(*out))
		return fail_value(c, p, *out,
				  "is not a person id (letters, digits, '-', '_' and '.')");
	return 0;
}

/* An event's ref: printable ASCII without spaces, so that it survives URLs,
 * command lines and CSV; alert refs ("CODE/CHILD/DAY#2") fit. */
static bool ref_syntax_ok(const char *s)
{
	for (; *s; s++)
		if (*s < 0x21 || *s > 0x7E)
			return false;
	return true;
}

static int get_ref(vctx *c, const path *p, const json_t *v, const char **out)
{
	int rc = get_string(c, p, v, VOCAB_MAX_ID, S_NO_SPACE, out);

	if (rc < 0)
		return rc;
	if (!ref_syntax_ok(*out))
		return fail_value(c, p, *out, "is not a ref (printable ASCII without spaces)");
	return 0;
}

/* ---- checkers, one per type ------------------------------------------- */

typedef int (*checker)(vctx *c, const field *f, const path *p, const json_t *v);

static int check_text(vctx *c, const field *f, const path *p, const json_t *v)
{
	const char *s;
	(void)f;
	return get_string(c, p, v, VOCAB_MAX_TEXT, S_LINES, &s);
}

static int check_short(vctx *c, const field *f, const path *p, const json_t *v)
{
	const char *s;
	(void)f;
	return get_string(c, p, v, VOCAB_MAX_SHORT, 0, &s);
}

static int check_login(vctx *c, const field *f, const path *p, const json_t *v)
{
	const char *s;
	(void)f;
	return get_string(c, p, v, VOCAB_MAX_ID, S_NO_SPACE, &s);
}

static int check_bool(vctx *c, const field *f, const path *p, const json_t *v)
{
	(void)f;
	if (!json_is_boolean(v))
		return fail_at(c, SL_EINVAL, p, "expected true or false");
	return 0;
}

/* Words and codes take any length up to the free-text limit, so that a long
 * wrong value is reported as not in the list (with the list) rather than as
 * too long. */
static int check_word(vctx *c, const path *p, const json_t *v, const char *const *words)
{
	const char *s;
	int rc = get_string(c, p, v, VOCAB_MAX_TEXT, 0, &s);

	if (rc < 0)
		return rc;
	if (!in_words(words, s))
		return fail_words(c, p, s, words);
	return 0;
}

static int check_enum(vctx *c, const field *f, const path *p, const json_t *v)
{
	return check_word(c, p, v, f->arg);
}

static int check_agency(vctx *c, const field *f, const path *p, const json_t *v)
{
	(void)f;
	return check_word(c, p, v, agencies);
}

/* Element i of an array of strings is a repeat of an earlier one. */
static bool repeated(const json_t *array, size_t i)
{
	const json_t *x = json_array_get(array, i);

	for (size_t j = 0; j < i; j++)
		if (json_equal(json_array_get(array, j), (json_t *)x))
			return true;
	return false;
}

/* An array of distinct strings, each checked by one(); empty allowed unless
 * min_one.  The repeat check runs after one() has checked the element, so
 * it compares values of the element's type.  It is quadratic, which stays cheap: words
 * and codes come from lists of at most a few dozen, so a repeat stops the
 * loop within that many elements whatever the array's length, and person
 * lists are capped by max. */
static int check_array(vctx *c, const field *f, const path *p, const json_t *v, bool min_one,
		       size_t max, int (*one)(vctx *, const field *, const path *, const json_t *))
{
	path elem = *p;
	size_t n;
	int rc;

	if (!json_is_array(v))
		return fail_at(c, SL_EINVAL, p, "expected an array");
	n = json_array_size(v);
	if (min_one && n == 0)
		return fail_at(c, SL_EINVAL, p, "expected a non-empty array");
	if (n > max)
		return fail_at(c, SL_EINVAL, p, "more than %zu entries", max);
	for (size_t i = 0; i < n; i++) {
		elem.index = (long)i;
		if ((rc = one(c, f, &elem, json_array_get(v, i))) < 0)
			return rc;
		if (repeated(v, i))
			return json_is_string(json_array_get(v, i))
				       ? fail_value(c, &elem, json_string_value(json_array_get(v, i)),
						    "is listed twice")
				       : fail_at(c, SL_EINVAL, &elem, "is listed twice");
	}
	return 0;
}

static int check_enums(vctx *c, const field *f, const path *p, const json_t *v)
{
	return check_array(c, f, p, v, false, SIZE_MAX, check_enum);
}

static int check_code(vctx *c, const field *f, const path *p, const json_t *v)
{
	const census *cl = f->arg;
	const char *s;
	int rc = get_string(c, p, v, VOCAB_MAX_TEXT, 0, &s);

	if (rc < 0)
		return rc;
	if (!codes_valid(cl->list, s))
		return fail_value(c, p, s, "is not a %s", cl->label);
	return 0;
}

static int check_codes(vctx *c, const field *f, const path *p, const json_t *v)
{
	const census *cl = f->arg;
	int rc;

	if ((rc = check_array(c, f, p, v, false, SIZE_MAX, check_code)) < 0)
		return rc;
	if (cl->alone && json_array_size(v) > 1) {
		for (size_t i = 0; i < json_array_size(v); i++) {
			path elem = {p->prefix, p->name, (long)i};
			const char *s = json_string_value(json_array_get(v, i));
			if (strcmp(s, cl->alone) == 0)
				return fail_value(c, &elem, s, "must be the only %s in the list",
						  cl->label);
		}
	}
	return 0;
}

static int check_day(vctx *c, const field *f, const path *p, const json_t *v)
{
	const char *s;
	int32_t day;
	sl_err why;
	int rc;

	(void)f;
	if ((rc = get_string(c, p, v, VOCAB_MAX_ID, 0, &s)) < 0)
		return rc;
	if (date_parse_day(s, &day, &why) < 0)
		return fail_at(c, SL_EINVAL, p, "%s", why.msg);
	return 0;
}

static int check_datetime(vctx *c, const field *f, const path *p, const json_t *v)
{
	const char *s;
	sl_date d;
	sl_err why;
	int rc;

	(void)f;
	if ((rc = get_string(c, p, v, VOCAB_MAX_ID, 0, &s)) < 0)
		return rc;
	if (date_parse(s, &d, &why) < 0)
		return fail_at(c, SL_EINVAL, p, "%s", why.msg);
	return 0;
}

static int check_nhs(vctx *c, const field *f, const path *p, const json_t *v)
{
	const char *s;
	size_t n = 0;
	int rc;

	(void)f;
	if ((rc = get_string(c, p, v, VOCAB_MAX_ID, 0, &s)) < 0)
		return rc;
	while (is_digit(s[n]))
		n++;
	if (n != 10 || s[n])
		return fail_value(c, p, s, "is not an NHS number (10 digits, no spaces)");
	if (!vocab_nhs_number_valid(s))
		return fail_value(c, p, s, "fails the NHS number check digit");
	return 0;
}

static int check_upn(vctx *c, const field *f, const path *p, const json_t *v)
{
	const char *s;
	size_t n = 1;
	int rc;

	(void)f;
	if ((rc = get_string(c, p, v, VOCAB_MAX_ID, 0, &s)) < 0)
		return rc;
	while (is_alnum(s[n]))
		n++;
	if (is_digit(s[0]) || !is_alnum(s[0]) || n != 13 || s[n])
		return fail_value(c, p, s, "is not a UPN (a letter then 12 letters or digits)");
	return 0;
}

static int resolve_person(vctx *c, const path *p, const json_t *v, vocab_person_role role)
{
	const char *id;
	int rc;

	if ((rc = get_person_id(c, p, v, &id)) < 0)
		return rc;
	if (!c->r->person)
		return 0;
	sl_err_clear(c->err);
	if ((rc = c->r->person(c->r->ctx, id, role, c->err)) < 0)
		return resolver_failed(c, rc, p);
	return 0;
}

static int check_child(vctx *c, const field *f, const path *p, const json_t *v)
{
	(void)f;
	return resolve_person(c, p, v, VOCAB_CHILD);
}

static int check_adult(vctx *c, const field *f, const path *p, const json_t *v)
{
	(void)f;
	return resolve_person(c, p, v, VOCAB_ADULT);
}

static int check_person(vctx *c, const field *f, const path *p, const json_t *v)
{
	(void)f;
	return resolve_person(c, p, v, VOCAB_ANY_PERSON);
}

static int check_person_new(vctx *c, const field *f, const path *p, const json_t *v)
{
	const char *id;
	int rc;

	(void)f;
	if ((rc = get_person_id(c, p, v, &id)) < 0)
		return rc;
	if (!c->r->person_new)
		return 0;
	sl_err_clear(c->err);
	if ((rc = c->r->person_new(c->r->ctx, id, c->err)) < 0)
		return resolver_failed(c, rc, p);
	return 0;
}

static int check_persons(vctx *c, const field *f, const path *p, const json_t *v)
{
	return check_array(c, f, p, v, true, VOCAB_MAX_PERSONS, check_person);
}

static int check_seq(vctx *c, const field *f, const path *p, const json_t *v)
{
	(void)f;
	if (!json_is_integer(v) || json_integer_value(v) < 1)
		return fail_at(c, SL_EINVAL, p, "expected a seq number (a positive integer)");
	return 0;
}

static int check_seqs(vctx *c, const field *f, const path *p, const json_t *v)
{
	return check_array(c, f, p, v, false, 64, check_seq);
}

/* How a reference reads in a message: "`c-7`" or "event 12". */
static void show_ref(buf *b, const json_t *v)
{
	if (json_is_integer(v)) {
		buf_printf(b, "event %lld", (long long)json_integer_value(v));
	} else {
		buf_putc(b, '`');
		show_value(b, json_string_value(v));
		buf_putc(b, '`');
	}
}

/* A reference to another event (DESIGN 5: its ref, or its seq as a
 * number), resolved to the referenced event's kind.  *got is NULL when
 * the caller gave no event resolver. */
static int resolve_event(vctx *c, const path *p, const json_t *v, const char **got)
{
	const char *s;
	int rc;

	*got = NULL;
	if (json_is_integer(v)) {
		if (json_integer_value(v) < 1)
			return fail_at(c, SL_EINVAL, p, "a seq is a number from 1");
	} else if (json_is_string(v)) {
		if ((rc = get_ref(c, p, v, &s)) < 0)
			return rc;
	} else {
		return fail_at(c, SL_EINVAL, p, "expected an event's ref (a string) or seq (a number)");
	}
	if (!c->r->event)
		return 0;
	sl_err_clear(c->err);
	if ((rc = c->r->event(c->r->ctx, v, got, c->err)) < 0)
		return resolver_failed(c, rc, p);
	if (!*got) {
		buf ref = BUF_INIT;
		show_ref(&ref, v);
		rc = fail_at(c, SL_EINVAL, p, "the ledger did not say what kind of event %s is",
			     buf_str(&ref));
		buf_release(&ref);
		return rc;
	}
	return 0;
}

static int check_event(vctx *c, const field *f, const path *p, const json_t *v)
{
	const char *want = f->arg, *got;
	buf ref = BUF_INIT;
	int rc;

	if ((rc = resolve_event(c, p, v, &got)) < 0 || !got || strcmp(got, want) == 0)
		return rc;
	show_ref(&ref, v);
	rc = fail_at(c, SL_EINVAL, p, "%s is of kind `%s`, not `%s`", buf_str(&ref), got, want);
	buf_release(&ref);
	return rc;
}

/* amendment.requested.target: any event of the vocabulary except
 * amendments and alert events, which are corrected by a new request or a
 * new acknowledgement, never by amending them. */
static int check_target(vctx *c, const field *f, const path *p, const json_t *v)
{
	const char *got;
	const kind *k;
	buf ref = BUF_INIT;
	int rc;

	(void)f;
	if ((rc = resolve_event(c, p, v, &got)) < 0 || !got)
		return rc;
	k = find_kind(got);
	/* who may see a record is changed by the next grant or seal, never by
	 * rewriting the last one */
	if (k && !has_prefix(got, "amendment.") && !has_prefix(got, "alert.") && !has_prefix(got, "access.") &&
	    !has_prefix(got, "record.")) {
		c->target_kind = k;
		return 0;
	}
	show_ref(&ref, v);
	rc = fail_at(c, SL_EINVAL, p, "%s is of kind `%s`, which cannot be amended", buf_str(&ref),
		     got);
	buf_release(&ref);
	return rc;
}

/* "CODE/CHILD/YYYY-MM-DD" with an optional "#N", N >= 2 (DESIGN 6.1.14). */
bool vocab_alert_ref_valid(const char *s)
{
	const char *p = s;
	char day[11];
	int32_t d;

	if (strlen(s) > VOCAB_MAX_ID)
		return false;
	while ((*p >= 'A' && *p <= 'Z') || *p == '_')
		p++;
	if (p == s || *p++ != '/')
		return false;
	s = p;
	while (is_id_char(*p))
		p++;
	if (*p++ != '/') /* an empty child: an alert about no child */
		return false;
	for (int i = 0; i < 10; i++)
		if (!(day[i] = p[i]))
			return false;
	day[10] = '\0';
	if (date_parse_day(day, &d, NULL) < 0)
		return false;
	p += 10;
	if (*p == '\0')
		return true;
	if (*p++ != '#' || *p < '1' || *p > '9' || (p[0] == '1' && !is_digit(p[1])))
		return false;
	while (is_digit(*p))
		p++;
	return *p == '\0';
}

static int check_alert(vctx *c, const field *f, const path *p, const json_t *v)
{
	const char *s;
	int rc;

	(void)f;
	if ((rc = get_string(c, p, v, VOCAB_MAX_ID, 0, &s)) < 0)
		return rc;
	if (!vocab_alert_ref_valid(s))
		return fail_value(c, p, s, "is not an alert ref (CODE/CHILD/YYYY-MM-DD, then #2, #3 ...)");
	if (!c->r->alert)
		return 0;
	sl_err_clear(c->err);
	if ((rc = c->r->alert(c->r->ctx, s, c->err)) < 0)
		return resolver_failed(c, rc, p);
	return 0;
}

static int check_value(vctx *c, const field *f, const path *p, const json_t *v);

/* amendment.requested.data: the replacement fields.  Each must be a field of
 * the target's kind (when the resolver told us the kind), valid as such, and
 * not one of about_fields.  Required-ness does not apply: an amendment names
 * only what it corrects. */
static int check_amend(vctx *c, const field *f, const path *p, const json_t *v)
{
	buf prefix = BUF_INIT;
	const char *key;
	const json_t *value;
	int rc = 0;

	(void)f;
	if (!json_is_object(v))
		return fail_at(c, SL_EINVAL, p, "expected an object of replacement fields");
	if (json_object_size(v) == 0)
		return fail_at(c, SL_EINVAL, p, "names no field to correct");
	path_format(&prefix, p);
	json_object_foreach((json_t *)v, key, value) {
		path at = {buf_str(&prefix), key, -1};
		const field *tf;

		/* key is safe to show raw once it is one of the table's names */
		if (in_words(about_fields, key)) {
			rc = fail_at(c, SL_EINVAL, &at,
				     "an amendment corrects what was recorded, not whom it is about");
			goto done;
		}
		if (!c->target_kind)
			continue;
		tf = find_field(c->target_kind->fields, c->target_kind->nfields, key);
		if (!tf) {
			buf why = BUF_INIT;
			buf_printf(&why, " (a `%s` has no such field)", c->target_kind->name);
			rc = fail_unknown(c, buf_str(&prefix), key, buf_str(&why));
			buf_release(&why);
			goto done;
		}
		if ((rc = check_value(c, tf, &at, value)) < 0)
			goto done;
	}
done:
	buf_release(&prefix);
	return rc;
}

static int check_kind(vctx *c, const field *f, const path *p, const json_t *v)
{
	const char *s;
	buf shown = BUF_INIT;
	int rc;

	(void)f;
	if ((rc = get_string(c, p, v, VOCAB_MAX_ID, 0, &s)) < 0)
		return rc;
	if ((c->kind = find_kind(s))) {
		if (strcmp(s, "alert.raised") == 0 && !(c->opts && (c->opts->restore || c->opts->system)))
			return fail_at(c, SL_EINVAL, p,
			               "`alert.raised` is recorded only by safeledger's rules engine");
		if (strcmp(s, "access.break_glass") == 0 && !(c->opts && (c->opts->restore || c->opts->system)))
			return fail_at(c, SL_EINVAL, p,
			               "`access.break_glass` is recorded only by safeledger, when a sealed "
			               "record is opened by break-glass");
		return 0;
	}
	show_value(&shown, s);
	rc = sl_fail(c->err, SL_EINVAL, "unknown kind `%s`", buf_str(&shown));
	buf_release(&shown);
	return rc;
}

static int check_object(vctx *c, const char *prefix, const field *fields, size_t n,
			const json_t *obj);

static int check_by(vctx *c, const field *f, const path *p, const json_t *v)
{
	bool user, agency;
	int rc;

	(void)f;
	if (!json_is_object(v))
		return fail_at(c, SL_EINVAL, p, "expected an object");
	if ((rc = check_object(c, p->name, by_fields, SL_ARRAY_LEN(by_fields), v)) < 0)
		return rc;
	user = json_object_get(v, "user") != NULL;
	agency = json_object_get(v, "agency") != NULL;
	if (user == agency)
		return fail_at(c, SL_EINVAL, p,
			       "expected {\"user\": login} or {\"agency\": agency, \"role\": ..., \"name\": ...}");
	if (user && json_object_size(v) > 1)
		return fail_at(c, SL_EINVAL, p, "a user needs no role or name: those describe an agency's author");
	return 0;
}

static int check_ref_new(vctx *c, const field *f, const path *p, const json_t *v)
{
	const char *s;
	int rc;

	(void)f;
	if ((rc = get_ref(c, p, v, &s)) < 0)
		return rc;
	if (!c->r->ref_new)
		return 0;
	sl_err_clear(c->err);
	if ((rc = c->r->ref_new(c->r->ctx, s, c->err)) < 0)
		return resolver_failed(c, rc, p);
	return 0;
}

static int check_data(vctx *c, const field *f, const path *p, const json_t *v)
{
	const kind *k = c->kind;
	int rc;

	(void)f;
	assert(k); /* `kind` precedes `data` in the envelope */
	if (!json_is_object(v))
		return fail_at(c, SL_EINVAL, p, "expected an object");
	if ((rc = check_object(c, p->name, k->fields, k->nfields, v)) < 0)
		return rc;
	return k->check ? k->check(c, v) : 0;
}

static const checker checkers[T_COUNT] = {
	[T_TEXT] = check_text,
	[T_SHORT] = check_short,
	[T_LOGIN] = check_login,
	[T_BOOL] = check_bool,
	[T_ENUM] = check_enum,
	[T_ENUMS] = check_enums,
	[T_AGENCY] = check_agency,
	[T_CODE] = check_code,
	[T_CODES] = check_codes,
	[T_DAY] = check_day,
	[T_DATETIME] = check_datetime,
	[T_NHS] = check_nhs,
	[T_UPN] = check_upn,
	[T_CHILD] = check_child,
	[T_ADULT] = check_adult,
	[T_PERSON] = check_person,
	[T_PERSON_NEW] = check_person_new,
	[T_PERSONS] = check_persons,
	[T_EVENT] = check_event,
	[T_TARGET] = check_target,
	[T_ALERT] = check_alert,
	[T_SEQS] = check_seqs,
	[T_AMEND] = check_amend,
	[T_KIND] = check_kind,
	[T_BY] = check_by,
	[T_REF_NEW] = check_ref_new,
	[T_DATA] = check_data,
};

static int check_value(vctx *c, const field *f, const path *p, const json_t *v)
{
	assert(f->type < T_COUNT && checkers[f->type]);
	return checkers[f->type](c, f, p, v);
}

/* Unknown members first, then every field in table order. */
static int check_object(vctx *c, const char *prefix, const field *fields, size_t n,
			const json_t *obj)
{
	const char *key;
	const json_t *value;
	int rc;

	json_object_foreach((json_t *)obj, key, value) {
		if (!find_field(fields, n, key))
			return fail_unknown(c, prefix, key, "");
	}
	for (size_t i = 0; i < n; i++) {
		path at = {prefix, fields[i].name, -1};
		const json_t *v = json_object_get(obj, fields[i].name);

		if (!v) {
			if (fields[i].required)
				return fail_missing(c, &at, "");
			continue;
		}
		if ((rc = check_value(c, &fields[i], &at, v)) < 0)
			return rc;
	}
	return 0;
}

/* ---- cross-field rules, one per kind that needs one -------------------- */

static bool is_string_eq(const json_t *v, const char *s)
{
	return json_is_string(v) && strcmp(json_string_value(v), s) == 0;
}

/* The check person.registered and person.updated share: nobody dies
 * before they are born (days compare as text: both are YYYY-MM-DD).  (A
 * UPN and a reason it is unknown may both be on record - the reason from
 * before the UPN was found; the census uses the UPN when there is one.) */
static int check_person_details(vctx *c, const json_t *data)
{
	path died = {"data", "died", -1};
	const char *b = json_string_value(json_object_get(data, "born"));
	const char *d = json_string_value(json_object_get(data, "died"));

	if (b && d && strcmp(d, b) < 0)
		return fail_at(c, SL_EINVAL, &died, "%s is before the day of birth %s", d, b);
	return 0;
}

static int check_person_registered(vctx *c, const json_t *data)
{
	path born = {"data", "born", -1};

	if (is_string_eq(json_object_get(data, "role"), "child") &&
	    !json_object_get(data, "born") && !json_object_get(data, "expected"))
		return fail_missing(c, &born, " (a child needs `born`, or `expected` when unborn)");
	return check_person_details(c, data);
}

static int check_person_updated(vctx *c, const json_t *data)
{
	path all = {"", "data", -1};

	if (json_object_size(data) < 2)
		return fail_at(c, SL_EINVAL, &all, "nothing to update: give a field besides `id`");
	return check_person_details(c, data);
}

static int check_person_link(vctx *c, const json_t *data)
{
	path b = {"data", "b", -1};

	if (json_equal(json_object_get(data, "a"), json_object_get(data, "b")))
		return fail_at(c, SL_EINVAL, &b, "a person cannot be linked to themselves");
	return 0;
}

/* DESIGN 5: the category is required when the conference starts a plan.  An
 * initial conference with plan true always does; a review with plan true
 * and no category keeps the current plan's category, and only the ledger's
 * state knows whether a plan is live, so rules/ judge that case. */
static int check_conference_held(vctx *c, const json_t *data)
{
	path cat = {"data", "category", -1};

	if (is_string_eq(json_object_get(data, "type"), "initial") &&
	    json_is_true(json_object_get(data, "plan")) && !json_object_get(data, "category"))
		return fail_missing(c, &cat, " (an initial conference that starts a plan names its category)");
	return 0;
}

/* alert.raised: the ref is CODE/CHILD/DAY of this very alert. */
static int check_alert_raised(vctx *c, const json_t *data)
{
	const char *ref = json_string_value(json_object_get(c->event, "ref"));
	const char *code = json_string_value(json_object_get(data, "code"));
	const char *child = json_string_value(json_object_get(data, "child"));
	const char *at = json_string_value(json_object_get(c->event, "occurred_at"));
	path pref = {"", "ref", -1};
	buf want = BUF_INIT;
	int rc = 0;

	if (!ref)
		return fail_missing(c, &pref, " (an alert's ref is CODE/CHILD/YYYY-MM-DD)");
	buf_printf(&want, "%s/%s/%.10s", code, child ? child : "", at ? at : "");
	if (!vocab_alert_ref_valid(ref) || strncmp(ref, want.data, want.len) != 0 ||
	    (ref[want.len] != '\0' && ref[want.len] != '#'))
		rc = fail_value(c, &pref, ref, "is not the alert's ref: expected %s", want.data);
	buf_release(&want);
	return rc;
}

/* ---- public ----------------------------------------------------------- */

int vocab_validate(const json_t *event, const vocab_opts *opts, const vocab_resolver *r,
		   sl_err *err)
{
	static const vocab_resolver no_resolver;
	sl_err scratch;
	vctx c = {r ? r : &no_resolver, opts, event, err ? err : &scratch, NULL, NULL};
	size_t members = SL_ARRAY_LEN(envelope) - (opts && opts->restore ? 0 : 1);

	sl_err_clear(c.err);
	if (!json_is_object(event))
		return sl_fail(c.err, SL_EINVAL, "expected an event object");
	return check_object(&c, "", envelope, members, event);
}

static bool is_person_type(vtype t)
{
	return t == T_CHILD || t == T_ADULT || t == T_PERSON || t == T_PERSON_NEW;
}

/* Emit id unless it was emitted before.  seen holds what was emitted; when
 * it is full (only possible for an event that would fail validation) ids
 * are dropped rather than repeated. */
static void emit_person(const char *id, const char **seen, size_t *nseen, size_t cap,
			void (*cb)(void *ctx, const char *person_id), void *ctx)
{
	for (size_t i = 0; i < *nseen; i++)
		if (strcmp(seen[i], id) == 0)
			return;
	if (*nseen == cap)
		return;
	seen[(*nseen)++] = id;
	cb(ctx, id);
}

void vocab_event_persons(const json_t *event, void (*cb)(void *ctx, const char *person_id),
			 void *ctx)
{
	const char *seen[VOCAB_MAX_PERSONS + 4];
	size_t nseen = 0;
	const json_t *data = json_object_get(event, "data");
	const json_t *kv = json_object_get(event, "kind");
	const kind *k = json_is_string(kv) ? find_kind(json_string_value(kv)) : NULL;

	if (!k || !json_is_object(data))
		return;
	for (size_t i = 0; i < k->nfields; i++) {
		const json_t *v = json_object_get(data, k->fields[i].name);

		if (is_person_type(k->fields[i].type) && json_is_string(v)) {
			emit_person(json_string_value(v), seen, &nseen, SL_ARRAY_LEN(seen), cb, ctx);
		} else if (k->fields[i].type == T_PERSONS && json_is_array(v)) {
			for (size_t j = 0; j < json_array_size(v); j++) {
				const json_t *e = json_array_get(v, j);
				if (json_is_string(e))
					emit_person(json_string_value(e), seen, &nseen,
						    SL_ARRAY_LEN(seen), cb, ctx);
			}
		}
	}
}

size_t vocab_kind_count(void)
{
	return SL_ARRAY_LEN(kinds);
}

const char *vocab_kind_name(size_t i)
{
	return i < SL_ARRAY_LEN(kinds) ? kinds[i].name : NULL;
}

bool vocab_field_is_about(const char *name)
{
	return name && in_words(about_fields, name);
}

bool vocab_kind_known(const char *name)
{
	return name && find_kind(name) != NULL;
}

size_t vocab_field_count(size_t k)
{
	return k < SL_ARRAY_LEN(kinds) ? kinds[k].nfields : 0;
}

const char *vocab_field_name(size_t k, size_t f)
{
	if (k >= SL_ARRAY_LEN(kinds) || f >= kinds[k].nfields)
		return NULL;
	return kinds[k].fields[f].name;
}

bool vocab_field_required(size_t k, size_t f)
{
	if (k >= SL_ARRAY_LEN(kinds) || f >= kinds[k].nfields)
		return false;
	return kinds[k].fields[f].required;
}

size_t vocab_agency_count(void)
{
	return SL_ARRAY_LEN(agencies) - 1; /* less the NULL */
}

const char *vocab_agency_name(size_t i)
{
	return i < vocab_agency_count() ? agencies[i] : NULL;
}

const char *vocab_abuse_census_code(const char *category)
{
	for (size_t i = 0; i < SL_ARRAY_LEN(abuse_census); i++)
		if (strcmp(abuse_census[i].word, category) == 0)
			return abuse_census[i].code;
	return NULL;
}

/* NHS number check digit, modulus 11 (NHS Data Dictionary, "NHS Number"):
 * weights 10 down to 2 on the first nine digits; 11 - (sum mod 11) is the
 * check digit, 11 counts as 0, and 10 means the number was never issued. */
bool vocab_nhs_number_valid(const char *s)
{
	return nhs_number_valid(s); /* one check digit rule: domain/nhs.c */
}

bool vocab_person_id_valid(const char *s)
{
	size_t n = 0;

	while (is_id_char(s[n]))
		n++;
	return n > 0 && n <= VOCAB_MAX_ID && s[n] == '\0';
}
