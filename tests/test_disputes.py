"""Disputes, agreements, timelines and snapshots over hand-built claims."""

from __future__ import annotations

import itertools
from datetime import date

import pytest

from counterclaim.disputes import (
    context_claims,
    date_range,
    find_agreements,
    find_disputes,
    render_timeline_chart,
    snapshot,
    timeline,
)
from counterclaim.models import Claim, Place, Span, StoredClaim

KUP = Place(id="gn:703656", name="Kupiansk", geonameid=703656, admin1="Kharkiv Oblast", country="UA",
            lat=49.71, lon=37.61)
VOV = Place(id="gn:689304", name="Vovchansk", geonameid=689304, admin1="Kharkiv Oblast", country="UA",
            lat=50.29, lon=36.94)
_ids = itertools.count(1)

CLAIMANT = {"RU": "Russian Defence Ministry", "UA": "Ukraine's military", "OTHER": "ISW",
            "UNKNOWN": "narrator"}


def sc(side: str, status: str, controller: str | None = None, when: str | None = "2025-02-07", *,
       percent: float | None = None, place: Place = KUP, claimant: str | None = None) -> StoredClaim:
    claim = Claim(claimant=claimant or CLAIMANT[side], claimant_side=side, place=place,  # type: ignore[arg-type]
                  status=status, controller=controller, evidence=Span(0, 4, "text"),  # type: ignore[arg-type]
                  percent=percent, date=when,
                  date_precision={10: "day", 7: "month", 4: "year"}.get(len(when or "")))  # type: ignore[arg-type]
    return StoredClaim(id=next(_ids), claim=claim, document_id=f"doc{side}", outlet="Outlet")


@pytest.mark.parametrize(("when", "start", "end"), [
    ("2025-02-07", "2025-02-07", "2025-02-07"),
    ("2025-02", "2025-02-01", "2025-02-28"),
    ("2024-02", "2024-02-01", "2024-02-29"),
    ("2025", "2025-01-01", "2025-12-31"),
])
def test_date_range(when, start, end):
    assert date_range(when) == (date.fromisoformat(start), date.fromisoformat(end))


@pytest.mark.parametrize("when", [None, "", "2025-13", "soon"])
def test_date_range_bad(when):
    assert date_range(when) is None


# one RU claim, one UA claim -> the kind of dispute they make (None: none)
@pytest.mark.parametrize(("ru", "ua", "kind"), [
    (("controls", "RU"), ("denies", "RU"), "control"),
    (("controls", "RU"), ("controls", "UA"), "control"),
    (("denies", "UA"), ("controls", "UA"), "control"),
    (("controls", "RU"), ("partial", "RU"), "control"),  # all vs contested
    (("controls", "RU"), ("partial", "UA"), "control"),
    (("encircled", "RU"), ("denies", "RU"), "control"),
    (("partial", "RU"), ("denies", "RU"), "control"),
    (("withdrew", "UA"), ("controls", "UA"), "control"),
    (("controls", "RU"), ("controls", "RU"), None),  # agreement, not dispute
    (("controls", "RU"), ("withdrew", "UA"), None),
    (("fighting", None), ("fighting", None), None),
    (("controls", "RU"), ("fighting", None), None),
    (("denies", "UA"), ("denies", "RU"), None),
    (("controls", "RU"), ("denies", "UA"), None),  # denies something else
])
def test_dispute_kinds(ru, ua, kind):
    claims = [sc("RU", *ru), sc("UA", *ua)]
    found = find_disputes(claims)
    if kind is None:
        assert found == []
    else:
        assert len(found) == 1
        assert found[0].kind == kind
        assert [c.claim.claimant_side for c in found[0].ru] == ["RU"]
        assert [c.claim.claimant_side for c in found[0].ua] == ["UA"]


@pytest.mark.parametrize(("p_ru", "ctrl_ua", "p_ua", "disputed"), [
    (80, "RU", 40, True),    # 80 vs 40 of the same controller
    (80, "RU", 60, False),   # 20 points apart: under the gap
    (80, "UA", 75, True),    # RU holds 80 vs UA holds 75 (RU 25)
    (60, "UA", 40, False),   # RU 60 vs UA 40 = RU 60: the same picture
])
def test_share_disputes(p_ru, ctrl_ua, p_ua, disputed):
    claims = [sc("RU", "partial", "RU", percent=p_ru), sc("UA", "partial", ctrl_ua, percent=p_ua)]
    found = find_disputes(claims, share_gap=25)
    assert bool(found) is disputed
    if disputed:
        assert found[0].kind == "share"


@pytest.mark.parametrize(("ru_when", "ua_when", "window", "disputed"), [
    ("2025-02-07", "2025-02-07", 14, True),
    ("2025-02-07", "2025-02-20", 14, True),
    ("2025-02-07", "2025-02-22", 14, False),
    ("2025-02-07", "2025-02-22", 30, True),
    ("2025-02", "2025-02-27", 0, True),    # a month overlaps its days
    ("2025-02", "2025-03-10", 14, True),   # 10 days after the end of February
    ("2025-02", "2025-03-20", 14, False),
    ("2025", "2025-11-02", 0, True),
    ("2025-02-07", None, 14, False),       # undated claims do not take part
])
def test_windows(ru_when, ua_when, window, disputed):
    claims = [sc("RU", "controls", "RU", ru_when), sc("UA", "denies", "RU", ua_when)]
    assert bool(find_disputes(claims, window_days=window)) is disputed


@pytest.mark.parametrize("claims", [
    [sc("RU", "controls", "RU"), sc("RU", "controls", "UA"), sc("RU", "denies", "RU")],
    [sc("UA", "partial", "UA", percent=10), sc("UA", "partial", "UA", percent=90)],
    [sc("RU", "controls", "RU"), sc("OTHER", "denies", "RU"), sc("UNKNOWN", "controls", "UA")],
])
def test_no_dispute_within_one_side(claims):
    assert find_disputes(claims) == []


def test_no_dispute_across_places():
    assert find_disputes([sc("RU", "controls", "RU", place=KUP), sc("UA", "denies", "RU", place=VOV)]) == []


def test_overlapping_pairs_merge_and_newest_first():
    claims = [
        sc("RU", "controls", "RU", "2025-02-07"), sc("UA", "denies", "RU", "2025-02-08"),
        sc("RU", "controls", "RU", "2025-02-09", claimant="TASS"),  # overlaps the first pair
        sc("RU", "controls", "RU", "2025-06-01"), sc("UA", "denies", "RU", "2025-06-03"),  # a later one
        sc("RU", "controls", "RU", "2025-02-08", place=VOV),
        sc("UA", "controls", "UA", "2025-02-08", place=VOV),
    ]
    found = find_disputes(claims)
    assert [(d.place.name, d.start, d.end) for d in found] == [
        ("Kupiansk", "2025-06-01", "2025-06-03"),
        ("Kupiansk", "2025-02-07", "2025-02-09"),
        ("Vovchansk", "2025-02-08", "2025-02-08"),
    ]
    feb = found[1]
    assert [c.claim.claimant for c in feb.ru] == ["Russian Defence Ministry", "TASS"]
    assert len(feb.ua) == 1


def test_month_claim_merges_with_its_days():
    claims = [sc("RU", "controls", "RU", "2025-03"), sc("UA", "denies", "RU", "2025-03-07"),
              sc("UA", "controls", "UA", "2025-03-25")]
    (d,) = find_disputes(claims)
    assert (d.start, d.end) == ("2025-03-01", "2025-03-31")
    assert len(d.ua) == 2


def test_summary_line():
    (d,) = find_disputes([sc("RU", "controls", "RU"), sc("UA", "denies", "RU")])
    assert d.summary == ("RU: Russian Defence Ministry says controls RU (2025-02-07); "
                         "UA: Ukraine's military denies RU control (2025-02-07)")


def test_context_claims_of_third_parties():
    claims = [sc("RU", "controls", "RU"), sc("UA", "denies", "RU"), sc("OTHER", "denies", "RU"),
              sc("OTHER", "fighting"), sc("OTHER", "denies", "RU", "2024-01-01")]
    (d,) = find_disputes(claims)
    ctx = context_claims(d, claims)
    assert [(c.claim.status, c.when) for c in ctx] == [("denies", "2025-02-07")]


@pytest.mark.parametrize(("ru", "ua", "kind"), [
    (("controls", "RU"), ("controls", "RU"), "same controller"),
    (("controls", "RU"), ("withdrew", "UA"), "capture and withdrawal"),
    (("withdrew", "UA"), ("controls", "RU"), "capture and withdrawal"),
    (("withdrew", "UA"), ("withdrew", "UA"), "withdrawal"),
    (("controls", "UA"), ("controls", "UA"), "same controller"),
    (("controls", "RU"), ("denies", "RU"), None),
    (("controls", "RU"), ("withdrew", "RU"), None),
    (("fighting", None), ("fighting", None), None),
])
def test_agreements(ru, ua, kind):
    found = find_agreements([sc("RU", *ru), sc("UA", *ua)])
    if kind is None:
        assert found == []
    else:
        assert [a.kind for a in found] == [kind]


def test_agreement_needs_both_sides():
    assert find_agreements([sc("RU", "controls", "RU"), sc("RU", "controls", "RU"),
                            sc("OTHER", "controls", "RU")]) == []


def test_timeline_order():
    a = sc("RU", "controls", "RU", "2025-02-07")
    b = sc("UA", "denies", "RU", "2025-02")
    c = sc("UA", "fighting", None, None)
    d = sc("OTHER", "fighting", None, "2024")
    assert timeline([a, b, c, d]) == [d, b, a, c]


@pytest.mark.parametrize(("ru", "ua", "state"), [
    (("controls", "RU"), ("controls", "RU"), "agree-RU"),
    (("controls", "RU"), ("withdrew", "UA"), "agree-RU"),
    (("controls", "UA"), ("controls", "UA"), "agree-UA"),
    (("controls", "RU"), ("denies", "RU"), "disputed"),
    (("controls", "RU"), ("controls", "UA"), "disputed"),
    (("fighting", None), ("fighting", None), "fighting"),
    (("controls", "RU"), ("fighting", None), "fighting"),
    (("controls", "RU"), None, "one-sided"),
    (None, ("fighting", None), "one-sided"),
])
def test_snapshot_states(ru, ua, state):
    claims = []
    if ru:
        claims.append(sc("RU", *ru, "2025-02-07"))
    if ua:
        claims.append(sc("UA", *ua, "2025-02-05"))
    (row,) = snapshot(claims, date(2025, 3, 1))
    assert row.state == state


def test_snapshot_takes_latest_claim_as_of_date():
    claims = [
        sc("RU", "fighting", None, "2025-01-10"),
        sc("RU", "controls", "RU", "2025-02-07"),
        sc("UA", "denies", "RU", "2025-02-08"),
        sc("UA", "withdrew", "UA", "2025-02-20"),  # after the snapshot date
        sc("UA", "withdrew", "UA", "2025-03"),     # its month starts after the date
        sc("OTHER", "partial", "RU", "2025-02-01", percent=50),
        sc("RU", "controls", "RU", "2025-02-01", place=VOV),
    ]
    rows = snapshot(claims, date(2025, 2, 10))
    assert [r.place.name for r in rows] == ["Kupiansk", "Vovchansk"]
    kup, vov = rows
    assert kup.state == "disputed"
    assert kup.ru.claim.status == "controls" and kup.ua.claim.status == "denies"
    assert kup.other.claim.percent == 50
    assert vov.state == "one-sided" and vov.ua is None
    d = kup.to_dict()
    assert d["ru_status"] == "controls" and d["ua_date"] == "2025-02-08" and d["state"] == "disputed"
    later = snapshot(claims, date(2025, 2, 25))[0]
    assert later.state == "agree-RU"


@pytest.mark.parametrize("fmt", ["png", "svg"])
def test_chart_is_written(tmp_path, fmt):
    claims = [sc("RU", "controls", "RU", "2025-02-07"), sc("UA", "denies", "RU", "2025-02-08"),
              sc("UA", "partial", "UA", "2025-02", percent=75), sc("OTHER", "fighting", None, "2025-02-10"),
              sc("UNKNOWN", "encircled", "RU", "2025-02-12"), sc("UA", "withdrew", "UA", "2025-03-01"),
              sc("RU", "fighting", None, None)]
    path = render_timeline_chart(KUP, claims, tmp_path / f"kup.{fmt}")
    data = path.read_bytes()
    if fmt == "png":
        assert data.startswith(b"\x89PNG\r\n\x1a\n")
        import struct

        width, height = struct.unpack(">II", data[16:24])
        assert (width, height) == (1200, 500)
    else:
        assert b"<svg" in data[:500]


def test_chart_without_dated_claims(tmp_path):
    path = render_timeline_chart(KUP, [sc("RU", "fighting", None, None)], tmp_path / "empty.png")
    assert path.stat().st_size > 0
