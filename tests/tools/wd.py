#!/usr/bin/env python3
"""wd.py - working-day and calendar arithmetic for writing rule fixtures.

DESIGN 6: WD = Monday-Friday less the England and Wales bank holidays in
data/bank-holidays-england-and-wales.tsv.  Standard library only; it knows
nothing of the rules engine, so expected dates in tests/rules/ can be worked
out (and re-checked) independently of the implementation.

  wd.py add DATE N       the N-th working day after DATE ("within N WD of
                         DATE" is met on or before it; the alert is raised on
                         `add DATE N+1`)
  wd.py months DATE N    DATE + N calendar months (the month's last day when it
                         has no such date)
  wd.py days DATE N      DATE + N calendar days
  wd.py next DATE        the first working day after DATE
  wd.py between A B      working days d with A < d <= B
  wd.py show DATE...     weekday and whether each DATE is a working day
"""
import calendar
import os
import sys
from datetime import date, timedelta

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
HOLIDAYS_TSV = os.path.join(ROOT, "data", "bank-holidays-england-and-wales.tsv")


def load_holidays(path=HOLIDAYS_TSV):
    days = set()
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            days.add(date.fromisoformat(line.split("\t")[0]))
    return days


HOLIDAYS = load_holidays()


def day(s):
    return s if isinstance(s, date) else date.fromisoformat(s[:10])


def is_wd(d):
    d = day(d)
    return d.weekday() < 5 and d not in HOLIDAYS


def add_wd(d, n):
    """The n-th working day after d (n >= 1)."""
    d = day(d)
    while n > 0:
        d += timedelta(days=1)
        if is_wd(d):
            n -= 1
    return d


def next_wd(d):
    return add_wd(d, 1)


def add_months(d, n):
    d = day(d)
    m = d.month - 1 + n
    y, m = d.year + m // 12, m % 12 + 1
    return date(y, m, min(d.day, calendar.monthrange(y, m)[1]))


def add_days(d, n):
    return day(d) + timedelta(days=n)


def wd_between(a, b):
    """Working days d with a < d <= b."""
    a, b = day(a), day(b)
    n = 0
    while a < b:
        a += timedelta(days=1)
        n += is_wd(a)
    return n


def show(d):
    d = day(d)
    return "%s %s%s" % (d.strftime("%a"), d.isoformat(), "" if is_wd(d) else " (not a WD)")


def main(argv):
    if len(argv) < 2:
        sys.exit(__doc__)
    cmd, args = argv[1], argv[2:]
    if cmd == "add":
        print(show(add_wd(args[0], int(args[1]))))
    elif cmd == "months":
        print(show(add_months(args[0], int(args[1]))))
    elif cmd == "days":
        print(show(add_days(args[0], int(args[1]))))
    elif cmd == "next":
        print(show(next_wd(args[0])))
    elif cmd == "between":
        print(wd_between(args[0], args[1]))
    elif cmd == "show":
        for a in args:
            print(show(a))
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv)
