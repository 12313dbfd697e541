"""Dates in news prose, resolved against the publication date.

"on Thursday", "on Nov. 20", "26 January", "in May 2023", "last April", "in 2014",
"yesterday", "last week" -> (ISO date string, precision). A claim with no date words
gets the publication month: it is what the text supports without guessing the day.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

MONTHS = {
    m: i + 1
    for i, names in enumerate([
        ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",),
        ("june", "jun"), ("july", "jul"), ("august", "aug"), ("september", "sep", "sept"),
        ("october", "oct"), ("november", "nov"), ("december", "dec"),
    ])
    for m in names
}
WEEKDAYS = {d: i for i, d in enumerate(
    ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"])}

_MON = (r"(?P<mon>January|February|March|April|May|June|July|August|September|October|November|"
        r"December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\b\.?")
_YEAR = r"(?:,?\s+(?P<y>(?:19|20)\d\d)\b)?"
_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("iso", re.compile(r"\b(?P<y>(?:19|20)\d\d)-(?P<m>\d\d)-(?P<d>\d\d)\b")),
    ("dmy_dots", re.compile(r"\b(?P<d>[0-3]?\d)\.(?P<m>[01]?\d)\.(?P<y>(?:19|20)\d\d)\b")),
    ("mdy", re.compile(_MON + r"\s+(?P<d>[0-3]?\d)(?:st|nd|rd|th)?\b" + _YEAR)),
    ("dmy", re.compile(r"\b(?P<d>[0-3]?\d)(?:st|nd|rd|th)?\s+(?:of\s+)?" + _MON + _YEAR)),
    ("my", re.compile(r"\b(?:(?P<last>last|this|early|late|mid-?)\s+)?" + _MON + _YEAR)),
    ("year", re.compile(r"\b(?:in|since|of|by|until|from|during)\s+(?P<y>(?:19|20)\d\d)\b")),
    ("weekday", re.compile(r"\b(?P<wd>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b")),
    ("rel", re.compile(
        r"\b(?P<rel>today|yesterday|the day before|last week|this week|last month|this month|"
        r"last year|earlier the same day|earlier today|tonight|this morning)\b", re.I)),
]


@dataclass(frozen=True, slots=True)
class DateMention:
    start: int
    end: int
    value: str
    precision: str  # day | month | year


def _month_before(month: int, published: date | None, last: bool) -> int | None:
    if published is None:
        return None
    year = published.year
    if month > published.month or last:
        year -= 1  # "last April" is the previous year's; "this April" is written for the current one
    return year


def find_dates(text: str, published: date | None, start: int = 0, end: int | None = None
               ) -> list[DateMention]:
    """Every date expression in text[start:end], resolved; overlapping matches keep the first."""
    end = len(text) if end is None else end
    found: list[DateMention] = []
    taken: list[tuple[int, int]] = []
    for kind, pat in _PATTERNS:
        for m in pat.finditer(text, start, end):
            if any(a < m.end() and m.start() < b for a, b in taken):
                continue
            dm = _resolve(kind, m, published)
            if dm is not None:
                found.append(dm)
                taken.append((m.start(), m.end()))
    return sorted(found, key=lambda d: d.start)


def _resolve(kind: str, m: re.Match[str], published: date | None) -> DateMention | None:
    g = m.groupdict()
    try:
        if kind in ("iso", "dmy_dots"):
            d = date(int(g["y"]), int(g["m"]), int(g["d"]))
            return DateMention(m.start(), m.end(), d.isoformat(), "day")
        if kind in ("mdy", "dmy"):
            month = MONTHS[g["mon"].lower().rstrip(".")]
            year = int(g["y"]) if g.get("y") else _month_before(month, published, False)
            if year is None:
                return None
            d = date(year, month, int(g["d"]))
            return DateMention(m.start(), m.end(), d.isoformat(), "day")
        if kind == "my":
            word = g["mon"].rstrip(".")
            if word == "May" and not g.get("y") and not g.get("last"):
                # "may" the verb is lower-case; "May" alone at a sentence start is ambiguous
                pre = m.string[max(0, m.start() - 4) : m.start()].lower()
                if "in " not in pre and "of " not in pre:
                    return None
            month = MONTHS[word.lower()]
            year = int(g["y"]) if g.get("y") else _month_before(
                month, published, (g.get("last") or "") == "last")
            if year is None:
                return None
            return DateMention(m.start(), m.end(), f"{year:04d}-{month:02d}", "month")
        if kind == "year":
            return DateMention(m.start(), m.end(), g["y"], "year")
        if published is None:
            return None
        if kind == "weekday":
            back = (published.weekday() - WEEKDAYS[g["wd"].lower()]) % 7
            return DateMention(m.start(), m.end(), (published - timedelta(days=back)).isoformat(), "day")
        rel = g["rel"].lower()
        if rel in ("today", "earlier the same day", "earlier today", "tonight", "this morning"):
            return DateMention(m.start(), m.end(), published.isoformat(), "day")
        if rel in ("yesterday", "the day before"):
            return DateMention(m.start(), m.end(), (published - timedelta(days=1)).isoformat(), "day")
        if rel == "last week":
            d = published - timedelta(days=7)
            return DateMention(m.start(), m.end(), f"{d.year:04d}-{d.month:02d}", "month")
        if rel in ("this week", "this month"):
            return DateMention(m.start(), m.end(), f"{published.year:04d}-{published.month:02d}", "month")
        if rel == "last month":
            d = published.replace(day=1) - timedelta(days=1)
            return DateMention(m.start(), m.end(), f"{d.year:04d}-{d.month:02d}", "month")
        if rel == "last year":
            return DateMention(m.start(), m.end(), str(published.year - 1), "year")
    except (ValueError, KeyError):
        return None
    return None


def default_date(published: date | None) -> tuple[str | None, str | None]:
    """The date of a claim whose sentence has no date words: the publication month."""
    if published is None:
        return None, None
    return f"{published.year:04d}-{published.month:02d}", "month"


def infer_published(text: str, limit: int = 600, lines: int = 6) -> date | None:
    """A full date in the first lines of a text (a dateline or byline), if any."""
    head = text[:limit]
    cut = 0
    for _ in range(lines):
        nxt = head.find("\n", cut)
        if nxt == -1:
            cut = len(head)
            break
        cut = nxt + 1
    for dm in find_dates(head, None, 0, cut):
        if dm.precision == "day":
            return date.fromisoformat(dm.value)
    return None
