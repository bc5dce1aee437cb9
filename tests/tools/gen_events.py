#!/usr/bin/env python3
"""gen_events.py N [SEED] - N synthetic vocabulary-v1 events as JSONL.

Deterministic for a seed.  Families of children and adults are registered
and linked, then visits, notes, contacts, agency information and concerns
follow, so the history exercises references between events.  Names are
generated, never real.  Used by the end-to-end tests and benchmarks.
"""
import json
import random
import sys
from datetime import date, timedelta

AGENCIES = ["police", "health", "education", "probation", "housing"]
SYLL = ["ka", "lo", "mi", "ren", "sa", "tu", "vel", "dor", "an", "is", "or", "ny"]


def name(rng):
    return "".join(rng.choice(SYLL) for _ in range(3)).capitalize() + " " + \
        "".join(rng.choice(SYLL) for _ in range(3)).capitalize()


def main():
    n = int(sys.argv[1])
    rng = random.Random(int(sys.argv[2]) if len(sys.argv) > 2 else 1)
    out = sys.stdout
    day = date(2023, 1, 2)
    children, count, fam = [], 0, 0

    def emit(obj):
        nonlocal count
        out.write(json.dumps(obj, separators=(",", ":")) + "\n")
        count += 1

    while count < n:
        if not children or (rng.random() < 0.05 and count + 4 < n):
            fam += 1
            c, a = "C%d" % fam, "A%d" % fam
            emit({"kind": "person.registered", "occurred_at": day.isoformat(),
                  "by": {"user": "sw%d" % (fam % 7)},
                  "data": {"id": c, "role": "child", "name": name(rng),
                           "born": (day - timedelta(days=rng.randint(200, 5000))).isoformat()}})
            emit({"kind": "person.registered", "occurred_at": day.isoformat(),
                  "by": {"user": "sw%d" % (fam % 7)},
                  "data": {"id": a, "role": "adult", "name": name(rng)}})
            emit({"kind": "person.linked", "occurred_at": day.isoformat(),
                  "by": {"user": "sw%d" % (fam % 7)},
                  "data": {"a": a, "b": c, "relation": "mother"}})
            children.append(c)
            continue
        c = rng.choice(children)
        day += timedelta(days=rng.random() < 0.02)
        r = rng.random()
        if r < 0.4:
            emit({"kind": "visit.recorded", "occurred_at": day.isoformat(), "by": {"user": "sw1"},
                  "data": {"child": c, "seen": rng.random() < 0.9, "summary": "Home visit. " + name(rng)}})
        elif r < 0.7:
            emit({"kind": "note.recorded", "occurred_at": day.isoformat() + "T10:%02d:00Z" % rng.randint(0, 59),
                  "by": {"user": "sw2"}, "data": {"child": c, "text": "Case note: " + name(rng) * 3}})
        elif r < 0.85:
            emit({"kind": "agency_info.received", "occurred_at": day.isoformat(),
                  "by": {"agency": rng.choice(AGENCIES), "name": name(rng)},
                  "data": {"person": c, "agency": rng.choice(AGENCIES), "summary": "Information shared.",
                           "significant_harm": False}})
        else:
            emit({"kind": "contact.received", "occurred_at": day.isoformat(), "by": {"user": "mash1"},
                  "data": {"child": c, "source": rng.choice(["1A", "2A", "3A", "5A"]),
                           "summary": "Contact from " + name(rng)}})


if __name__ == "__main__":
    main()
