#!/usr/bin/env python3
"""make.py - writes the census --check fixtures of tests/e2e/census_check.sh.

    python3 tests/data/census_check/make.py    # rewrites the .jsonl and expected.tsv here

clean.jsonl   children whose 2025-26 return breaks no rule at all (no error,
              no query): an open case with an assessment and a CIN plan, a
              child protection case closed in the year, an NFA referral, an
              unborn child, children with enough disability codes for the
              return-level queries, and a child closed before the year.
rules.jsonl   one child per rule, named R<rule> (R1520A/B share a UPN), each
              breaking that rule; expected.tsv lists every finding the
              return must hold: rule, child, field.  Where the data cannot
              break a rule alone (4001 needs two plans open at once, so one
              of 4016/4017 fires too) the extra findings are listed as well,
              so the test compares the whole set.
la.jsonl      the return-level rules: 2886Q (half the children have sex U)
              and 2883 (a plan started by a review conference, no initial
              conference), with their expected findings in expected_la.tsv.

Every event goes through the vocabulary on import, so a fixture can only
hold what a real record can hold; the rules that vocabulary refuses at entry
have no fixture (docs/census-validation.md).
"""
import json
import os
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
LETTERS = "ABCDEFGHJKLMNPQRTUVWXYZ"


def upn(la, serial, last="1", letter=None):
    """A UPN: check letter, LA code, 8 more digits, character 13 (a digit,
    or a letter for a temporary UPN).  The check letter: characters 2-13
    times their positions 2-13, summed, modulo 23 (DfE UPN guidance)."""
    body = "%03d%08d%s" % (la, serial, last)
    total = sum(int(body[i]) * (i + 2) for i in range(11))
    total += (int(last) if last.isdigit() else LETTERS.index(last)) * 13
    return (letter or LETTERS[total % 23]) + body


def ev(kind, day, data, ref=None):
    e = {"kind": kind, "occurred_at": day, "by": {"user": "sw1"}, "data": data}
    if ref:
        e["ref"] = ref
    return e


def reg(cid, day="2014-01-01", **over):
    d = {"id": cid, "role": "child", "name": "Child " + cid, "born": "2015-05-01", "sex": "F",
         "ethnicity": "WBRI", "disabilities": ["NONE"], "upn": upn(202, zlib.crc32(cid.encode()) % 90000000)}
    for k, v in over.items():
        if v is None:
            d.pop(k, None)
        else:
            d[k] = v
    return ev("person.registered", day, d)


def c(cid):
    return {"child": cid}


def d(cid, **kw):
    x = {"child": cid}
    x.update(kw)
    return x


def referral(cid, day, decided, decision="assessment", need="N1", source="2A"):
    data = d(cid, decision=decision)
    if need:
        data["primary_need"] = need
    return [ev("contact.received", day, d(cid, source=source, summary="worry")),
            ev("referral.decided", decided, data)]


def assessment(cid, start, done, factors=("1B",), authorised=None, outcome="cin_plan"):
    out = [ev("assessment.started", start, c(cid))]
    if done:
        data = d(cid, outcome=outcome)
        if factors is not None:
            data["factors"] = list(factors)
        if authorised:
            data["authorised_on"] = authorised
        out.append(ev("assessment.completed", done, data))
    return out


def open_case(cid, **reg_over):
    """The clean base: referred 2025-05-01, assessed, on a CIN plan, open at 31 March."""
    return ([reg(cid, **reg_over)] + referral(cid, "2025-05-01", "2025-05-02") +
            assessment(cid, "2025-05-02", "2025-05-20", authorised="2025-05-21") +
            [ev("cin_plan.started", "2025-05-22", c(cid))])


def cp_case(cid, **reg_over):
    """A child protection case: s47, ICPC, plan with a review, ended, CIN plan, closed."""
    return ([reg(cid, **reg_over)] + referral(cid, "2025-04-10", "2025-04-10", decision="strategy", source="6") +
            [ev("strategy.held", "2025-04-11", d(cid, s47=True))] +
            assessment(cid, "2025-04-11", "2025-05-01", factors=["16A"], outcome="strategy") +
            [ev("s47.completed", "2025-04-20", d(cid, icpc=True)),
             ev("conference.held", "2025-04-28", d(cid, type="initial", plan=True, category="neglect")),
             ev("conference.held", "2025-07-28", d(cid, type="review", plan=True)),
             ev("conference.held", "2025-12-15", d(cid, type="review", plan=False)),
             ev("cin_plan.started", "2025-12-15", c(cid)),
             ev("case.closed", "2026-03-01", d(cid, reason="RC7"))])


def clean():
    ev_ = []
    ev_ += open_case("K1", disabilities=["MOB", "HAND", "PC"])
    # K1 is disabled: its assessment names a child-disability factor (8899Q)
    ev_ = [e if not (e["kind"] == "assessment.completed" and e["data"]["child"] == "K1") else
           ev("assessment.completed", "2025-05-20", d("K1", outcome="cin_plan", factors=["6A", "1B"],
                                                      authorised_on="2025-05-21")) for e in ev_]
    ev_ += cp_case("K2", disabilities=["INC", "COMM", "LD"])
    ev_ = [e if not (e["kind"] == "assessment.completed" and e["data"]["child"] == "K2") else
           ev("assessment.completed", "2025-05-01", d("K2", outcome="strategy", factors=["5A", "16A"]))
           for e in ev_]
    # an NFA referral: UPN unknown because the referral went no further
    ev_ += [reg("K3", born="2012-03-03", upn=None, upn_unknown="UN7", disabilities=["HEAR", "VIS"])]
    ev_ += referral("K3", "2025-06-01", "2025-06-02", decision="nfa", need=None, source="1A")
    # unborn: sex U, ethnicity not yet obtained, no UPN (not of school age)
    ev_ += [reg("K4", day="2025-11-20", born=None, expected="2026-05-01", sex="U", ethnicity="NOBT",
                upn=None, upn_unknown="UN1", disabilities=None)]
    ev_ += referral("K4", "2025-12-01", "2025-12-01", source="3B")
    ev_ += assessment("K4", "2025-12-02", "2026-01-10", factors=["3B"], authorised="2026-01-12")
    # closed before the year: not in the return
    ev_ += [reg("K5", born="2010-02-02")] + referral("K5", "2023-01-01", "2023-01-02")
    ev_ += assessment("K5", "2023-01-02", "2023-02-01") + [ev("case.closed", "2024-01-10", d("K5", reason="RC7"))]
    return ev_


def replace(events, kind, child, new):
    return [new if (e["kind"] == kind and e["data"].get("child", e["data"].get("id")) == child) else e
            for e in events]


def drop(events, kind, child):
    return [e for e in events if not (e["kind"] == kind and e["data"].get("child", e["data"].get("id")) == child)]


def minimal(cid, ref_day="2025-05-01", **reg_over):
    """Referred and assessed in the year, nothing else: open at 31 March."""
    return ([reg(cid, **reg_over)] + referral(cid, ref_day, ref_day) +
            assessment(cid, ref_day, "2025-06-01", authorised="2025-06-01"))


def rules():
    ev_, exp = [], []

    def add(cid, events, *findings):
        ev_.extend(events)
        for f in findings:
            rule, field = f
            exp.append((rule, cid, field))

    add("R1510", open_case("R1510", upn=upn(202, 4242, letter="A") if upn(202, 4242)[0] != "A"
                                        else upn(202, 4242, letter="B")), ("1510", "UPN"))
    same = upn(202, 77777)
    add("R1520A", open_case("R1520A", upn=same), ("1520", "UPN"))
    add("R1520B", open_case("R1520B", upn=same), ("1520", "UPN"))
    add("R1530", open_case("R1530", upn=upn(999, 12345)), ("1530", "UPN"))
    add("R1540", open_case("R1540", upn="A20212AB45671"), ("1540", "UPN"))
    add("R1550", open_case("R1550", upn="A20212345678I"), ("1550", "UPN"))
    add("R1560Q", open_case("R1560Q", former_upn="A12345678901B"), ("1560Q", "FormerUPN"))
    long_id = "R1570ABCDEFGHIJKLMNOP"
    add(long_id, open_case(long_id), ("1570", "LAchildID"))
    add("R1580-X", open_case("R1580-X"), ("1580", "LAchildID"))

    cid = "R2885"  # a plan started by a review conference: no ICPC that day (2883 is la.jsonl's)
    add(cid, [reg(cid)] + referral(cid, "2025-05-01", "2025-05-01", decision="strategy") +
        assessment(cid, "2025-05-01", "2025-06-01") +
        [ev("conference.held", "2025-06-10", d(cid, type="review", plan=True, category="neglect"))],
        ("2885", "CPPstartDate"))
    exp.append(("2883", "-", "CPPstartDate"))

    cid = "R8905"  # a plan started by a review conference with no category (and no ICPC: 2885)
    add(cid, [reg(cid)] + referral(cid, "2025-05-01", "2025-05-01", decision="strategy") +
        assessment(cid, "2025-05-01", "2025-06-01") +
        [ev("conference.held", "2025-06-10", d(cid, type="review", plan=True))],
        ("8905", "InitialCategoryOfAbuse"), ("8910", "LatestCategoryOfAbuse"), ("2885", "CPPstartDate"))

    cid = "R2990"  # closed RC8 after a section 47 enquiry
    add(cid, [reg(cid)] + referral(cid, "2025-05-01", "2025-05-01", decision="strategy") +
        [ev("strategy.held", "2025-05-02", d(cid, s47=True))] + assessment(cid, "2025-05-02", "2025-05-20") +
        [ev("s47.completed", "2025-05-15", d(cid, icpc=False)), ev("case.closed", "2025-06-01", d(cid, reason="RC8"))],
        ("2990", "ReasonForClosure"))

    cid = "R2991Q"  # an enquiry with no assessment
    add(cid, [reg(cid)] + referral(cid, "2025-05-01", "2025-05-01", decision="strategy") +
        [ev("strategy.held", "2025-05-02", d(cid, s47=True)), ev("s47.completed", "2025-05-15", d(cid, icpc=False))],
        ("2991Q", "Section47"))

    cid = "R4001"  # a CIN plan open when a CP plan starts: both open (4017 too)
    add(cid, open_case(cid) + [ev("conference.held", "2025-07-01", d(cid, type="initial", plan=True,
                                                                      category="neglect"))],
        ("4001", "CINPlanEndDate"), ("4017", "CPPstartDate"))

    cid = "R4003"  # a CIN plan during a CP plan (4016), and a review while it is open
    add(cid, [reg(cid)] + referral(cid, "2025-05-01", "2025-05-01", decision="strategy") +
        assessment(cid, "2025-05-01", "2025-05-20") +
        [ev("conference.held", "2025-06-02", d(cid, type="initial", plan=True, category="neglect")),
         ev("cin_plan.started", "2025-08-01", c(cid)),
         ev("conference.held", "2025-08-10", d(cid, type="review", plan=True)),
         ev("cin_plan.ended", "2025-08-20", c(cid))],
        ("4003", "CPPreviewDate"), ("4016", "CINPlanStartDate"))

    cid = "R4008"  # died, then a CIN plan
    add(cid, minimal(cid) + [ev("person.updated", "2025-08-01", d(None, id=cid, died="2025-08-01")),
                             ev("cin_plan.started", "2025-09-01", c(cid))],
        ("4008", "CINPlanStartDate"))
    cid = "R4009"  # a CIN plan ended after the death
    add(cid, minimal(cid) + [ev("cin_plan.started", "2025-07-01", c(cid)),
                             ev("person.updated", "2025-08-01", d(None, id=cid, died="2025-08-01")),
                             ev("cin_plan.ended", "2025-09-01", c(cid))],
        ("4009", "CINPlanEndDate"))
    cid = "R4012Q"
    add(cid, minimal(cid) + [ev("cin_plan.started", "2025-07-01", c(cid)), ev("cin_plan.ended", "2025-07-01", c(cid))],
        ("4012Q", "CINPlanEndDate"))
    cid = "R4016"  # a CIN plan starts and ends inside a CP plan
    add(cid, [reg(cid)] + referral(cid, "2025-05-01", "2025-05-01", decision="strategy") +
        assessment(cid, "2025-05-01", "2025-05-20") +
        [ev("conference.held", "2025-06-02", d(cid, type="initial", plan=True, category="neglect")),
         ev("cin_plan.started", "2025-07-01", c(cid)), ev("cin_plan.ended", "2025-07-20", c(cid))],
        ("4016", "CINPlanStartDate"))
    cid = "R4017"  # a CP plan starts inside a CIN plan, which then ends
    add(cid, minimal(cid) + [ev("cin_plan.started", "2025-06-05", c(cid)),
                             ev("conference.held", "2025-07-01", d(cid, type="initial", plan=True, category="neglect")),
                             ev("cin_plan.ended", "2025-07-10", c(cid))],
        ("4017", "CPPstartDate"))

    add("R4180", open_case("R4180", sex=None), ("4180", "Sex"))
    add("R4220", open_case("R4220", ethnicity=None), ("4220", "Ethnicity"))
    add("R8520", [reg("R8520", born="2026-05-01")] + referral("R8520", "2025-09-01", "2025-09-01") +
        assessment("R8520", "2025-09-01", "2025-09-20"), ("8520", "PersonBirthDate"))
    cid = "R8530Q"  # expected after December following the census year
    add(cid, [reg(cid, day="2026-03-01", born=None, expected="2027-01-05", sex="U", upn=None, upn_unknown="UN1",
                  disabilities=None)] + referral(cid, "2026-03-31", "2026-03-31") +
        [ev("assessment.started", "2026-03-31", c(cid))], ("8530Q", "ExpectedPersonBirthDate"))
    add("R8540", open_case("R8540", disabilities=None), ("8540", "Disability"))
    cid = "R8545Q"  # died before the year; the case stayed open
    add(cid, [reg(cid)] + referral(cid, "2025-02-01", "2025-02-01") +
        assessment(cid, "2025-02-02", "2025-03-01") +
        [ev("person.updated", "2025-03-15", d(None, id=cid, died="2025-03-15"))], ("8545Q", "PersonDeathDate"))
    cid = "R8555"  # referred after death
    add(cid, [reg(cid), ev("person.updated", "2025-04-10", d(None, id=cid, died="2025-04-10"))] +
        referral(cid, "2025-05-01", "2025-05-01") + assessment(cid, "2025-05-01", "2025-05-20"),
        ("8555", "CINreferralDate"))
    cid = "R8565"  # closed before the assessment was authorised
    add(cid, [reg(cid)] + referral(cid, "2025-05-01", "2025-05-01") +
        assessment(cid, "2025-05-02", "2025-06-01", authorised="2025-07-01") +
        [ev("case.closed", "2025-06-15", d(cid, reason="RC7"))], ("8565", "CINclosureDate"))
    cid = "R8585Q"
    add(cid, minimal(cid) + [ev("case.closed", "2025-07-01", d(cid, reason="RC2"))], ("8585Q", "ReasonForClosure"))
    cid = "R8606"  # referred when unborn, more than 40 weeks before the birth
    add(cid, [reg(cid, day="2024-08-20", born=None, expected="2025-08-05", sex="U", upn=None, upn_unknown="UN1")] +
        referral(cid, "2024-09-01", "2024-09-01") + assessment(cid, "2024-09-02", "2024-10-01") +
        [ev("person.updated", "2025-08-01", d(None, id=cid, born="2025-08-01", sex="M"))],
        ("8606", "CINreferralDate"))
    cid = "R8608"  # authorised before it started
    add(cid, [reg(cid)] + referral(cid, "2025-05-01", "2025-05-01") +
        assessment(cid, "2025-05-10", "2025-05-20", authorised="2025-05-05"), ("8608", "AssessmentAuthorisationDate"))
    add("R8610", [reg("R8610")] + referral("R8610", "2025-05-01", "2025-05-01", need=None) +
        assessment("R8610", "2025-05-01", "2025-05-20"), ("8610", "PrimaryNeedCode"))
    cid = "R8670Q"  # open for months
    add(cid, [reg(cid)] + referral(cid, "2025-10-01", "2025-10-01") + assessment(cid, "2025-10-01", None),
        ("8670Q", "AssessmentActualStartDate"))
    cid = "R8675Q"  # an enquiry with no conference for months
    add(cid, [reg(cid)] + referral(cid, "2025-10-01", "2025-10-01", decision="strategy") +
        assessment(cid, "2025-10-01", "2025-10-20") + [ev("strategy.held", "2025-10-02", d(cid, s47=True))],
        ("8675Q", "S47ActualStartDate"))
    cid = "R8736"  # an assessment open since before the year (8670Q too)
    add(cid, [reg(cid)] + referral(cid, "2025-02-27", "2025-02-27") + assessment(cid, "2025-03-01", None),
        ("8736", "AssessmentActualStartDate"), ("8670Q", "AssessmentActualStartDate"))
    cid = "R8740"  # an enquiry open since before the year, no conference (8675Q too)
    add(cid, [reg(cid)] + referral(cid, "2025-03-01", "2025-03-01", decision="strategy") +
        assessment(cid, "2025-03-01", "2025-04-15") + [ev("strategy.held", "2025-03-10", d(cid, s47=True))],
        ("8740", "S47ActualStartDate"), ("8675Q", "S47ActualStartDate"))
    cid = "R8750"
    add(cid, [reg(cid, day="2026-01-01", born=None, expected="2026-06-01", sex="F", upn=None, upn_unknown="UN1",
                  disabilities=None)] + referral(cid, "2026-01-05", "2026-01-05") +
        assessment(cid, "2026-01-05", "2026-02-01"), ("8750", "Sex"))
    add("R8770Q", open_case("R8770Q", upn=None, upn_unknown="UN1"), ("8770Q", "UPNunknown"))
    add("R8772", open_case("R8772", born="2022-09-01", upn=None, upn_unknown="UN7"), ("8772", "UPNunknown"))
    add("R8775Q", open_case("R8775Q", born="2000-01-01"), ("8775Q", "PersonBirthDate"))
    cid = "R8816"  # an NFA referral while the case is open (8820 too)
    add(cid, open_case(cid) + referral(cid, "2025-08-01", "2025-08-02", decision="nfa", need=None),
        ("8816", "CINreferralDate"), ("8820", "CINreferralDate"))
    cid = "R8820"  # an NFA referral inside an episode closed since
    add(cid, minimal(cid) + referral(cid, "2025-07-01", "2025-07-02", decision="nfa", need=None) +
        [ev("case.closed", "2025-08-01", d(cid, reason="RC7"))], ("8820", "CINreferralDate"))
    cid = "R8825Q"  # closed RC8 with no assessment
    add(cid, [reg(cid)] + referral(cid, "2025-05-01", "2025-05-01") +
        [ev("case.closed", "2025-05-10", d(cid, reason="RC8"))], ("8825Q", "ReasonForClosure"))
    cid = "R8839"  # two enquiries waiting for a conference (8890 too)
    add(cid, [reg(cid)] + referral(cid, "2026-03-18", "2026-03-18", decision="strategy") +
        assessment(cid, "2026-03-18", "2026-03-25") +
        [ev("strategy.held", "2026-03-20", d(cid, s47=True)), ev("strategy.held", "2026-03-25", d(cid, s47=True))],
        ("8839", "DateOfInitialCPC"), ("8890", "S47ActualStartDate"))
    cid = "R8840"  # a plan started and ended on one day
    add(cid, [reg(cid)] + referral(cid, "2025-05-01", "2025-05-01", decision="strategy") +
        assessment(cid, "2025-05-01", "2025-05-20") +
        [ev("conference.held", "2025-06-02", d(cid, type="initial", plan=True, category="neglect")),
         ev("case.closed", "2025-06-02", d(cid, reason="RC7"))], ("8840", "CPPendDate"))
    cid = "R8841"  # a review conference on the plan's first day
    add(cid, [reg(cid)] + referral(cid, "2025-05-01", "2025-05-01", decision="strategy") +
        assessment(cid, "2025-05-01", "2025-05-20") +
        [ev("conference.held", "2025-06-02", d(cid, type="initial", plan=True, category="neglect")),
         ev("conference.held", "2025-06-02", d(cid, type="review", plan=True))], ("8841", "CPPreviewDate"))
    cid = "R8863"  # a second assessment starts while the first is open (the first stays open)
    add(cid, [reg(cid)] + referral(cid, "2026-03-02", "2026-03-02") +
        [ev("assessment.started", "2026-03-02", c(cid)), ev("assessment.started", "2026-03-09", c(cid)),
         ev("assessment.completed", "2026-03-20", d(cid, outcome="cin_plan", factors=["1B"]))],
        ("8863", "AssessmentActualStartDate"))
    add("R8866", [reg("R8866"), ev("referral.decided", "2025-05-01", d("R8866", decision="assessment",
                                                                       primary_need="N1"))] +
        assessment("R8866", "2025-05-01", "2025-05-20"), ("8866", "ReferralSource"))
    cid = "R8867"  # closed with the assessment still open
    add(cid, [reg(cid)] + referral(cid, "2025-05-01", "2025-05-01") + assessment(cid, "2025-06-01", None) +
        [ev("case.closed", "2025-06-20", d(cid, reason="RC7"))], ("8867", "AssessmentAuthorisationDate"),
        ("8670Q", "AssessmentActualStartDate"))
    cid = "R8868"  # closed with the enquiry still open
    add(cid, [reg(cid)] + referral(cid, "2025-05-01", "2025-05-01", decision="strategy") +
        assessment(cid, "2025-05-01", "2025-05-20") + [ev("strategy.held", "2025-06-01", d(cid, s47=True)),
                                                        ev("case.closed", "2025-06-20", d(cid, reason="RC7"))],
        ("8868", "ICPCnotRequired"), ("8675Q", "S47ActualStartDate"))
    cid = "R8873"  # one assessment, no factors identified, closed RC7
    add(cid, [reg(cid)] + referral(cid, "2025-05-01", "2025-05-01") +
        assessment(cid, "2025-05-01", "2025-05-20", factors=["21"], outcome="nfa") +
        [ev("case.closed", "2025-05-25", d(cid, reason="RC7"))], ("8873", "ReasonForClosure"))
    cid = "R8896"  # two assessments open at once (8863 too)
    add(cid, [reg(cid)] + referral(cid, "2026-03-02", "2026-03-02") +
        [ev("assessment.started", "2026-03-02", c(cid)), ev("assessment.started", "2026-03-09", c(cid))],
        ("8896", "AssessmentAuthorisationDate"), ("8863", "AssessmentActualStartDate"))
    cid = "R8897"
    add(cid, [reg(cid)] + referral(cid, "2025-05-01", "2025-05-01") +
        assessment(cid, "2025-05-01", "2025-05-20", factors=None), ("8897", "AssessmentFactors"))
    add("R8899Q", open_case("R8899Q", disabilities=["MOB"]), ("8899Q", "AssessmentFactors"))
    cid = "R8915"  # a plan after the death
    add(cid, minimal(cid) + [ev("person.updated", "2025-07-01", d(None, id=cid, died="2025-07-01")),
                             ev("conference.held", "2025-08-01", d(cid, type="initial", plan=True, category="neglect"))],
        ("8915", "CPPstartDate"))
    cid = "R8920"  # a plan ended after the death
    add(cid, minimal(cid) + [ev("conference.held", "2025-06-10", d(cid, type="initial", plan=True, category="neglect")),
                             ev("person.updated", "2025-07-01", d(None, id=cid, died="2025-07-01")),
                             ev("conference.held", "2025-08-01", d(cid, type="review", plan=False))],
        ("8920", "CPPendDate"))
    # the return-level queries a return this small raises
    exp += [("2887Q", "-", "Disability"), ("2888Q", "-", "Disability")]
    return ev_, exp


def la():
    ev_ = open_case("L1", sex="U", disabilities=["MOB", "HAND"])
    ev_ = replace(ev_, "assessment.completed", "L1",
                  ev("assessment.completed", "2025-05-20", d("L1", outcome="cin_plan", factors=["6A"],
                                                             authorised_on="2025-05-21")))
    cid = "L2"
    ev_ += [reg(cid)] + referral(cid, "2025-05-01", "2025-05-01", decision="strategy") + \
        assessment(cid, "2025-05-01", "2025-06-01") + \
        [ev("conference.held", "2025-06-10", d(cid, type="review", plan=True, category="neglect"))]
    exp = [("2886Q", "-", "Sex"), ("2883", "-", "CPPstartDate"), ("2885", "L2", "CPPstartDate"),
           ("2887Q", "-", "Disability")]
    return ev_, exp


def fix(events):
    for e in events:
        if e["data"].get("child", 1) is None:
            del e["data"]["child"]
    return events


def write(name, events):
    with open(os.path.join(HERE, name), "w") as f:
        for e in fix(events):
            f.write(json.dumps(e) + "\n")


def main():
    write("clean.jsonl", clean())
    ev_, exp = rules()
    write("rules.jsonl", ev_)
    with open(os.path.join(HERE, "expected.tsv"), "w") as f:
        f.write("# rule\tchild\tfield: every finding rules.jsonl's 2025-26 return holds (make.py)\n")
        for rule, cid, field in exp:
            f.write("%s\t%s\t%s\n" % (rule, cid, field))
    ev_, exp = la()
    write("la.jsonl", ev_)
    with open(os.path.join(HERE, "expected_la.tsv"), "w") as f:
        f.write("# rule\tchild\tfield: every finding la.jsonl's 2025-26 return holds (make.py)\n")
        for rule, cid, field in exp:
            f.write("%s\t%s\t%s\n" % (rule, cid, field))


if __name__ == "__main__":
    main()
