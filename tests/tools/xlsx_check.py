#!/usr/bin/env python3
"""xlsx_check.py - check an Annex A workbook with an independent reader (openpyxl).

    xlsx_check.py FILE.xlsx            the workbook of tests/data/annex_a/history.jsonl
                                       as of 2026-03-31: every value below worked out
                                       by hand from that file
    xlsx_check.py FILE.xlsx --shape    only the sheets, headers and cell types (any
                                       authority, e.g. a demo one)

The sheet names and headers are written out here again, independently of the
C code, from the template as docs/annex-a.md records it.  Exits non-zero
naming the first difference.
"""
import datetime
import sys

import openpyxl

CHILD = ["Child Unique ID", "Gender", "Ethnicity", "Date of Birth", "Age of Child (Years)"]
DIS = ["Does the Child have a Disability"]
ALLOC = ["Allocated Team", "Allocated Worker"]
HEADERS = {
    "List 1": CHILD + ["Date of Contact", "Contact Source"],
    "List 2": CHILD + ["Assessment start date", "Assessment completion date",
                       "Organisation completing assessment"],
    "List 3": CHILD + ["Date of referral", "Referral Source", "Referral NFA?",
                       "Number of Referrals in Last 12 Months"] + ALLOC,
    "List 4": CHILD + DIS + ["Continuous Assessment Start Date", "Child Seen During Continuous Assessment",
                             "Continuous Assessment Date of Authorisation",
                             "Was the child assessed as requiring LA children's social care support?"] + ALLOC,
    "List 5": CHILD + DIS + ["Strategy discussion initiating Section 47 Enquiry Start Date",
                             "Was an Initial Child Protection Conference deemed unnecessary?",
                             "Date of Initial Child Protection Conference",
                             "Did the Initial Child Protection Conference Result in a Child Protection Plan",
                             "Number of Section 47 Enquiries in the last 12 months",
                             "Number of ICPCs in the last 12 months"] + ALLOC,
    "List 6": CHILD + DIS + ["CIN Start Date", "Primary Need Code", "Date Child Was Last Seen",
                             "CIN Closure Date", "Reason for Closure", "Case Status"] + ALLOC,
    "List 7": CHILD + DIS + [
        "Child Protection Plan Start Date", "Initial Category of Abuse", "Latest Category of Abuse",
        "Date of the Last Statutory Visit", "Was the Child Seen Alone?", "Date of latest review conference",
        "Child Protection Plan End Date",
        "Subject to Emergency Protection Order or Protected Under Police Powers in Last Six Months (Y/N)",
        "Number of Previous Child Protection Plans"] + ALLOC,
    "List 8": CHILD + [
        "Unaccompanied Asylum Seeking Child (UASC) within the Last 12 Months (Y/N)",
        "Does the Child have a Disability", "Date Started to be Looked After", "Child's Category of Need",
        "Is this a second or subsequent period of being a Looked After Child within the last 12 months (Y/N)",
        "Start date of current legal status", "Child's Legal Status", "Date of Latest Statutory Review",
        "Date of Last Social Work Visit", "What is the permanence plan for this child?",
        "Date of Last IRO Visit / Contact to the Child", "Date of Last Health Assessment",
        "Date of Last Dental Check", "Number of Placements in the Last 12 months",
        "Date Ceased to be Looked After", "Reason Ceased to be Looked After",
        "Start Date of Most Recent Placement", "Placement Type", "Placement Provider", "Placement postcode",
        "URN of Placement", "Placement Location", "LA of Placement",
        "Number of Episodes the Child has been 'Missing' from their Placement in the last 12 months",
        "Number of Episodes the Child has been 'Absent' from their Placement in the last 12 months",
        "Was the child offered a Return Interview after their last missing episode (Y/N)?",
        "Did the child accept a Return Interview after their last missing episode (Y/N)?"] + ALLOC,
}
SHEETS = ["List %d" % i for i in range(1, 9)]
DATE_COLUMNS = ("Date", "date")


def fail(msg):
    print("xlsx_check: " + msg, file=sys.stderr)
    sys.exit(1)


def d(s):
    return datetime.datetime.strptime(s, "%d/%m/%Y")


def rows_of(ws):
    """The data rows as dicts keyed by header, empty cells as None."""
    header = [c.value for c in ws[1]]
    out = []
    for r in ws.iter_rows(min_row=2):
        cells = {header[i]: r[i] for i in range(len(header)) if i < len(r)}
        out.append(cells)
    return out


def check_shape(wb):
    if wb.sheetnames != SHEETS:
        fail("sheets %r, expected %r" % (wb.sheetnames, SHEETS))
    for name in SHEETS:
        ws = wb[name]
        got = [c.value for c in ws[1]]
        if got != HEADERS[name]:
            fail("%s: header row %r, expected %r" % (name, got, HEADERS[name]))
        for row in rows_of(ws):
            for h, c in row.items():
                if c.value is None:
                    continue
                if h.startswith("Date") or "Date" in h.split() or h.endswith("date"):
                    # a real Excel date shown as dd/mm/yyyy, not text
                    if not isinstance(c.value, datetime.datetime):
                        fail("%s %s: %r is not a date" % (name, h, c.value))
                    if c.number_format != "dd/mm/yyyy":
                        fail("%s %s: number format %r" % (name, h, c.number_format))
                elif h.startswith("Age") or h.startswith("Number"):
                    if not isinstance(c.value, (int, float)) or isinstance(c.value, bool):
                        fail("%s %s: %r is not a number" % (name, h, c.value))


def expect(name, rows, i, want):
    if i >= len(rows):
        fail("%s: no row %d" % (name, i + 2))
    for h, v in want.items():
        got = rows[i][h].value if h in rows[i] else None
        if isinstance(got, float) and got.is_integer():
            got = int(got)
        if got != v:
            fail("%s row %d, %s: %r, expected %r" % (name, i + 2, h, got, v))


def check_fixture(wb):
    # As of 31/03/2026 the period is 01/10/2025 - 31/03/2026 and the
    # twelve months 01/04/2025 - 31/03/2026.  Children come in id order.
    r = {n: rows_of(wb[n]) for n in SHEETS}
    counts = {n: len(r[n]) for n in SHEETS}
    want_counts = {"List 1": 4, "List 2": 0, "List 3": 2, "List 4": 1, "List 5": 1, "List 6": 3,
                   "List 7": 1, "List 8": 1}
    if counts != want_counts:
        fail("rows per list %r, expected %r" % (counts, want_counts))
    # C5's only contact (10/01/2024) is before the period, its 02/04/2026
    # one after the as-of date: C5 is in no list.
    for n in SHEETS:
        if any(row["Child Unique ID"].value == "C5" for row in r[n]):
            fail("%s lists C5" % n)

    # List 1: C1's police contact 20/10/2025 (the school's on 10/05/2025 is
    # before the period).  C1 born 15/06/2015 is 10 on 31/03/2026.
    expect("List 1", r["List 1"], 0, {"Child Unique ID": "C1", "Gender": "b) Female", "Ethnicity": "a) WBRI",
                                      "Date of Birth": d("15/06/2015"), "Age of Child (Years)": 10,
                                      "Date of Contact": d("20/10/2025"), "Contact Source": "q) 6: Police"})
    # C3: recorded gender female, no census sex or ethnicity; born 29/02/2020,
    # so 6 on 31/03/2026.  Two contacts in the period: 1A (grandmother) and
    # the GP's (3A) stepped down to early help.
    expect("List 1", r["List 1"], 1, {"Child Unique ID": "C3", "Gender": "b) Female", "Ethnicity": "t) NOBT",
                                      "Age of Child (Years)": 6, "Date of Contact": d("01/12/2025"),
                                      "Contact Source": "a) 1A: Individual"})
    expect("List 1", r["List 1"], 2, {"Child Unique ID": "C3", "Date of Contact": d("05/01/2026"),
                                      "Contact Source": "g) 3A: Health services"})
    # C4 is unborn: no date of birth, no age.
    expect("List 1", r["List 1"], 3, {"Child Unique ID": "C4", "Date of Birth": None,
                                      "Age of Child (Years)": None, "Date of Contact": d("01/02/2026"),
                                      "Contact Source": "h) 3B: Health services"})

    # List 3: C1's 20/10/2025 referral (decided strategy, so not NFA); two
    # referrals in the twelve months (10/05/2025 and 20/10/2025); worker
    # sw-ben since 05/01/2026.
    expect("List 3", r["List 3"], 0, {"Child Unique ID": "C1", "Date of referral": d("20/10/2025"),
                                      "Referral Source": "q) 6: Police", "Referral NFA?": "b) No",
                                      "Number of Referrals in Last 12 Months": 2, "Allocated Team": "North",
                                      "Allocated Worker": "sw-ben"})
    # C3's 01/12/2025 referral was NFA; the twelve months also hold the
    # 01/08/2025 referral for assessment: 2.  The 05/01/2026 early help
    # decision is not a referral.  C3 was never allocated.
    expect("List 3", r["List 3"], 1, {"Child Unique ID": "C3", "Date of referral": d("01/12/2025"),
                                      "Referral NFA?": "a) Yes", "Number of Referrals in Last 12 Months": 2,
                                      "Allocated Worker": None})

    # List 4: only C2's assessment (05/12/2025 - 20/01/2026, no separate
    # authorisation, so authorised on completion; seen 10/12/2025; outcome
    # lac).  C1's and C3's were completed before the period.
    expect("List 4", r["List 4"], 0, {"Child Unique ID": "C2", "Gender": "a) Male", "Ethnicity": "o) BAFR",
                                      "Age of Child (Years)": 16, "Does the Child have a Disability": "a) Yes",
                                      "Continuous Assessment Start Date": d("05/12/2025"),
                                      "Child Seen During Continuous Assessment": "a) Yes",
                                      "Continuous Assessment Date of Authorisation": d("20/01/2026"),
                                      "Was the child assessed as requiring LA children's social care support?":
                                          "a) Yes"})

    # List 5: C1's enquiry from the 22/10/2025 strategy discussion; the
    # enquiry called for a conference (so not "unnecessary"), held
    # 12/11/2025, which started a plan.
    expect("List 5", r["List 5"], 0, {
        "Child Unique ID": "C1", "Does the Child have a Disability": "b) No",
        "Strategy discussion initiating Section 47 Enquiry Start Date": d("22/10/2025"),
        "Was an Initial Child Protection Conference deemed unnecessary?": "b) No",
        "Date of Initial Child Protection Conference": d("12/11/2025"),
        "Did the Initial Child Protection Conference Result in a Child Protection Plan": "a) Yes",
        "Number of Section 47 Enquiries in the last 12 months": 1, "Number of ICPCs in the last 12 months": 1,
        "Allocated Worker": "sw-ben"})

    # List 6: C1's case from the 12/05/2025 decision (need N1), last seen
    # 02/03/2026 (the 20/03/2026 visit did not see her), on a plan.
    expect("List 6", r["List 6"], 0, {"Child Unique ID": "C1", "CIN Start Date": d("12/05/2025"),
                                      "Primary Need Code": "N1 - Abuse or neglect",
                                      "Date Child Was Last Seen": d("02/03/2026"), "CIN Closure Date": None,
                                      "Case Status": "b) Child Protection plan"})
    # C2's case opened when care started on 01/09/2024 and is still open.
    expect("List 6", r["List 6"], 1, {"Child Unique ID": "C2", "CIN Start Date": d("01/09/2024"),
                                      "Primary Need Code": None, "Date Child Was Last Seen": d("01/02/2026"),
                                      "Case Status": "a) Looked after child"})
    # C3's case 01/08/2025 - 15/10/2025 (closed RC8) overlaps the period.
    expect("List 6", r["List 6"], 2, {"Child Unique ID": "C3", "CIN Start Date": d("01/08/2025"),
                                      "Primary Need Code": "N4 - Family in acute stress",
                                      "CIN Closure Date": d("15/10/2025"),
                                      "Reason for Closure": "RC8 - Case closed after assessment, no further action",
                                      "Case Status": "e) Closed episode", "Does the Child have a Disability":
                                          "c) Unknown"})

    # List 7: C1's plan from 12/11/2025, neglect, re-categorised emotional
    # at the 12/02/2026 review; last seen 02/03/2026, not alone; no earlier
    # plan; never in care under police protection or an EPO.
    expect("List 7", r["List 7"], 0, {
        "Child Unique ID": "C1", "Child Protection Plan Start Date": d("12/11/2025"),
        "Initial Category of Abuse": "a) Neglect", "Latest Category of Abuse": "d) Emotional abuse",
        "Date of the Last Statutory Visit": d("02/03/2026"), "Was the Child Seen Alone?": "b) No",
        "Date of latest review conference": d("12/02/2026"), "Child Protection Plan End Date": None,
        "Subject to Emergency Protection Order or Protected Under Police Powers in Last Six Months (Y/N)": "b) No",
        "Number of Previous Child Protection Plans": 0, "Allocated Team": "North"})

    # List 8: C2's second period of care from 01/12/2025 (the first ended
    # 30/06/2025, within twelve months of it); an interim care order (C1);
    # assessment factor 9A on 20/01/2026; one missing episode (10/01/2026)
    # in the twelve months.
    expect("List 8", r["List 8"], 0, {
        "Child Unique ID": "C2",
        "Unaccompanied Asylum Seeking Child (UASC) within the Last 12 Months (Y/N)": "a) Yes",
        "Date Started to be Looked After": d("01/12/2025"),
        "Is this a second or subsequent period of being a Looked After Child within the last 12 months (Y/N)":
            "a) Yes",
        "Start date of current legal status": d("01/12/2025"), "Child's Legal Status": "C1: ICO",
        "Date of Last Social Work Visit": d("01/02/2026"), "Date Ceased to be Looked After": None,
        "Number of Episodes the Child has been 'Missing' from their Placement in the last 12 months": 1})


def main():
    if len(sys.argv) < 2:
        fail("usage: xlsx_check.py FILE.xlsx [--shape]")
    wb = openpyxl.load_workbook(sys.argv[1])
    check_shape(wb)
    if "--shape" not in sys.argv[2:]:
        check_fixture(wb)
    print("xlsx_check: %s OK" % sys.argv[1])


if __name__ == "__main__":
    main()
