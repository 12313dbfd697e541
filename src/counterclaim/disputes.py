"""Reasoning across sources: disputes, agreements, timelines and a control picture by date.

Pure functions over `StoredClaim` lists (read them with `Store.claims` / `Store.iter_claims`).

Dates. A claim's date is `StoredClaim.when` (the claim's own date, else the document's
publication date): ``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY``. Each is read as a range of days
(a month is its first to its last day), so a claim dated "2025-03" overlaps one dated
"2025-03-07". Claims without any date take no part in disputes, agreements or snapshots
(they sort last in a timeline). Two claims are "in the same window" when the gap between
their ranges is at most `window_days` days.

Contradictions (a claim of the RU side against one of the UA side, same place, same window):

=========================================  =======
RU claim / UA claim (either way round)      kind
=========================================  =======
controls X / controls Y, Y != X             control
controls X / denies X                       control
partial X / denies X, encircled X / denies X control
controls X / partial (any controller)       control  (one says all, the other says contested)
controls X / withdrew X                     control  (one says X holds it, the other that X left)
partial X p% / partial X q%, |p - q| >= gap share    (a partial Y p% counts as partial X (100-p)%)
=========================================  =======

Agreements: both sides imply the same holder, where ``controls X`` implies X and
``withdrew Y`` implies the other side of Y: two ``controls`` of the same controller are
kind "same controller"; a capture and a withdrawal are kind "capture and withdrawal"; two
withdrawals of the same side are kind "withdrawal".

Pairs of one place whose periods overlap are merged into one dispute (or agreement).
"""

from __future__ import annotations

import calendar
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from .models import Agreement, Dispute, Place, StoredClaim

#: The two sides whose claims can contradict each other.
MAIN_SIDES = ("RU", "UA")
#: Snapshot states.
STATES = ("agree-RU", "agree-UA", "disputed", "fighting", "one-sided")
#: Colours of the chart, by controller.
COLOURS = {"RU": "#d62728", "UA": "#1f5fbf", None: "#7f7f7f"}


# --------------------------------------------------------------------------- dates
def date_range(when: str | None) -> tuple[date, date] | None:
    """The days a ``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY`` date covers; None if absent or bad."""
    if not when:
        return None
    try:
        parts = [int(p) for p in when[:10].split("-")]
        if len(parts) == 1:
            return date(parts[0], 1, 1), date(parts[0], 12, 31)
        if len(parts) == 2:
            y, m = parts
            return date(y, m, 1), date(y, m, calendar.monthrange(y, m)[1])
        d = date(*parts[:3])
        return d, d
    except (ValueError, TypeError):
        return None


def _range(sc: StoredClaim) -> tuple[date, date] | None:
    return date_range(sc.when)


def _near(a: tuple[date, date], b: tuple[date, date], window_days: int) -> bool:
    """The gap between the two ranges is at most `window_days` days."""
    w = timedelta(days=window_days)
    return a[0] - w <= b[1] and b[0] - w <= a[1]


def _iso_span(a: date, b: date) -> tuple[str, str]:
    return a.isoformat(), b.isoformat()


def _other(side: str | None) -> str | None:
    return {"RU": "UA", "UA": "RU"}.get(side or "")


# --------------------------------------------------------------------------- contradictions
def _ru_share(sc: StoredClaim) -> float | None:
    """The share of the place a partial claim gives the RU side, if it states one."""
    c = sc.claim
    if c.status != "partial" or c.percent is None or c.controller not in MAIN_SIDES:
        return None
    return c.percent if c.controller == "RU" else 100.0 - c.percent


def contradiction(a: StoredClaim, b: StoredClaim, *, share_gap: float = 25.0) -> str | None:
    """The kind of contradiction between two claims about one place (`control`, `share`),
    or None; the claimants' sides are not looked at (see the module docstring)."""
    x, y = a.claim, b.claim
    for p, q in ((x, y), (y, x)):
        if p.status == "controls" and p.controller:
            if q.status == "controls" and q.controller and q.controller != p.controller:
                return "control"
            if q.status == "denies" and q.controller == p.controller:
                return "control"
            if q.status == "partial":
                return "control"
            if q.status == "withdrew" and q.controller == p.controller:
                return "control"
        if p.status in ("partial", "encircled") and p.controller and q.status == "denies" \
                and q.controller == p.controller:
            return "control"
    sa, sb = _ru_share(a), _ru_share(b)
    if sa is not None and sb is not None and abs(sa - sb) >= share_gap:
        return "share"
    return None


def _holder(sc: StoredClaim) -> str | None:
    c = sc.claim
    if c.status == "controls" and c.controller in MAIN_SIDES:
        return c.controller
    if c.status == "withdrew":
        return _other(c.controller)
    return None


def concurrence(a: StoredClaim, b: StoredClaim) -> str | None:
    """The kind of agreement between two claims about one place, or None."""
    ha, hb = _holder(a), _holder(b)
    if ha is None or ha != hb:
        return None
    statuses = {a.claim.status, b.claim.status}
    if statuses == {"controls"}:
        return "same controller"
    if statuses == {"withdrew"}:
        return "withdrawal"
    return "capture and withdrawal"


# --------------------------------------------------------------------------- disputes, agreements
@dataclass(slots=True)
class _Group:
    place: Place
    start: date
    end: date
    kinds: set[str]
    ru: dict[int, StoredClaim]
    ua: dict[int, StoredClaim]


def _dated_by_place(claims: Iterable[StoredClaim]
                    ) -> dict[str, list[tuple[StoredClaim, tuple[date, date]]]]:
    by_place: dict[str, list[tuple[StoredClaim, tuple[date, date]]]] = defaultdict(list)
    for sc in claims:
        if sc.claim.status == "fighting":
            continue  # fighting neither contradicts nor confirms who holds a place
        r = _range(sc)
        if r is not None:
            by_place[sc.claim.place.id].append((sc, r))
    return by_place


def _signature(sc: StoredClaim) -> tuple:
    """What `contradiction` and `concurrence` look at: claims alike in it behave alike."""
    c = sc.claim
    return (c.status, c.controller, c.percent)


class _Cover:
    """Intervals sorted by start with a running maximum of their ends: whether any of them
    overlaps [x, y] is a binary search."""

    def __init__(self, spans: list[tuple[date, date]]) -> None:
        spans = sorted(spans)
        self.starts = [s for s, _ in spans]
        self.max_end: list[date] = []
        for _, e in spans:
            self.max_end.append(max(e, self.max_end[-1]) if self.max_end else e)

    def overlaps(self, x: date, y: date) -> bool:
        i = bisect_right(self.starts, y)
        return i > 0 and self.max_end[i - 1] >= x


def _pairs(claims: Iterable[StoredClaim], test, window_days: int) -> list[_Group]:
    """Periods, per place, in which claims of the RU and UA sides that `test` accepts as a
    pair lie within `window_days` of each other; newest first.

    Claims are grouped by what the test looks at (status, controller, share), so the test
    runs once per pair of kinds, and nearness is found by binary search: the work grows
    with n log n, not with every RU claim times every UA claim. A claim takes part when a
    claim of the other side that the test pairs it with lies within the window; the claims
    that take part are chained into periods (a gap of more than the window starts a new one)
    and a period is a dispute when both sides take part in it."""
    w = timedelta(days=window_days)
    groups: list[_Group] = []
    for items in _dated_by_place(claims).values():
        by_sig: dict[str, dict[tuple, list]] = {"RU": defaultdict(list), "UA": defaultdict(list)}
        for sc, r in items:
            if sc.claim.claimant_side in by_sig:
                by_sig[sc.claim.claimant_side][_signature(sc)].append((sc, r))
        kinds_of: dict[int, set[str]] = defaultdict(set)
        active: dict[int, tuple[StoredClaim, tuple[date, date]]] = {}
        for ru_items in by_sig["RU"].values():
            for ua_items in by_sig["UA"].values():
                kind = test(ru_items[0][0], ua_items[0][0])
                if kind is None:
                    continue
                ua_cover = _Cover([r for _, r in ua_items])
                ru_cover = _Cover([(r[0] - w, r[1] + w) for _, r in ru_items])
                for sc, r in ru_items:
                    if ua_cover.overlaps(r[0] - w, r[1] + w):
                        active[sc.id] = (sc, r)
                        kinds_of[sc.id].add(kind)
                for sc, r in ua_items:
                    if ru_cover.overlaps(r[0], r[1]):
                        active[sc.id] = (sc, r)
                        kinds_of[sc.id].add(kind)
        chain: list[_Group] = []
        for sc, r in sorted(active.values(), key=lambda x: (x[1][0], x[1][1], x[0].id)):
            g = chain[-1] if chain else None
            if g is None or r[0] > g.end + w:
                g = _Group(sc.claim.place, r[0], r[1], set(), {}, {})
                chain.append(g)
            g.end = max(g.end, r[1])
            g.kinds |= kinds_of[sc.id]
            (g.ru if sc.claim.claimant_side == "RU" else g.ua)[sc.id] = sc
        groups.extend(g for g in chain if g.ru and g.ua)
    groups.sort(key=lambda g: (g.end, g.start, g.place.name), reverse=True)
    return groups


def _sorted(claims: Iterable[StoredClaim]) -> tuple[StoredClaim, ...]:
    return tuple(timeline(claims))


def describe(sc: StoredClaim) -> str:
    """One claim in a few words: "Russian Defence Ministry says controls RU (2025-02-07)"."""
    c = sc.claim
    when = sc.when or "undated"
    if c.status == "denies":
        what = "denies"
        if c.controller:
            what += f" {c.controller} control"
        if c.percent is not None:
            what += f" of {c.percent:g}%"
        return f"{c.claimant} {what} ({when})"
    what = f"says {c.status}"
    if c.controller:
        what += f" {c.controller}"
    if c.percent is not None:
        what += f" {c.percent:g}%"
    return f"{c.claimant} {what} ({when})"


def _side_summary(side: str, items: Sequence[StoredClaim], most: int = 2) -> str:
    text = ", ".join(describe(sc) for sc in items[:most])
    if len(items) > most:
        text += f" and {len(items) - most} more"
    return f"{side}: {text}"


def summary_line(ru: Sequence[StoredClaim], ua: Sequence[StoredClaim]) -> str:
    return f"{_side_summary('RU', ru)}; {_side_summary('UA', ua)}"


def find_disputes(claims: Iterable[StoredClaim], *, window_days: int = 14, share_gap: float = 25.0
                  ) -> list[Dispute]:
    """Claims of the RU and UA sides that contradict each other, per place and period, newest
    first (see the module docstring for what contradicts what)."""
    out = []
    for g in _pairs(claims, lambda a, b: contradiction(a, b, share_gap=share_gap), window_days):
        ru, ua = _sorted(g.ru.values()), _sorted(g.ua.values())
        start, end = _iso_span(g.start, g.end)
        kind = "control" if "control" in g.kinds else "share"
        out.append(Dispute(place=g.place, start=start, end=end, kind=kind, ru=ru, ua=ua,
                           summary=summary_line(ru, ua)))
    return out


def find_agreements(claims: Iterable[StoredClaim], *, window_days: int = 14) -> list[Agreement]:
    """Claims of the RU and UA sides that concur about who holds a place, newest first."""
    out = []
    for g in _pairs(claims, concurrence, window_days):
        ru, ua = _sorted(g.ru.values()), _sorted(g.ua.values())
        start, end = _iso_span(g.start, g.end)
        kinds = g.kinds
        kind = "capture and withdrawal" if "capture and withdrawal" in kinds or len(kinds) > 1 \
            else next(iter(kinds))
        out.append(Agreement(place=g.place, start=start, end=end, kind=kind, ru=ru, ua=ua,
                             summary=summary_line(ru, ua)))
    return out


def context_claims(dispute: Dispute | Agreement, claims: Iterable[StoredClaim], *,
                   window_days: int = 14, share_gap: float = 25.0) -> list[StoredClaim]:
    """Claims of third parties (OTHER, UNKNOWN) about the dispute's place and period that
    contradict a claim of either side: context for a reader, in date order."""
    period = (date.fromisoformat(dispute.start), date.fromisoformat(dispute.end))
    sides = dispute.ru + dispute.ua
    out = []
    for sc in claims:
        if sc.claim.place.id != dispute.place.id or sc.claim.claimant_side in MAIN_SIDES:
            continue
        r = _range(sc)
        if r is None or not _near(r, period, window_days):
            continue
        if any(contradiction(sc, s, share_gap=share_gap) for s in sides):
            out.append(sc)
    return list(timeline(out))


def dispute_dict(d: Dispute | Agreement, context: Sequence[StoredClaim] = ()) -> dict[str, Any]:
    """A dispute or agreement as JSON: place, period, kind, summary, each side's claims."""
    p = d.place
    return {
        "place": {"id": p.id, "name": p.name, "geonameid": p.geonameid, "admin1": p.admin1,
                  "country": p.country, "lat": p.lat, "lon": p.lon},
        "start": d.start, "end": d.end, "kind": d.kind, "summary": d.summary,
        "ru": [sc.to_dict() for sc in d.ru],
        "ua": [sc.to_dict() for sc in d.ua],
        "other": [sc.to_dict() for sc in context],
    }


# --------------------------------------------------------------------------- timeline
def _order_key(sc: StoredClaim) -> tuple:
    r = _range(sc)
    if r is None:
        return (1, date.max, date.max, sc.id)
    return (0, r[0], r[1], sc.id)


def timeline(claims: Iterable[StoredClaim]) -> list[StoredClaim]:
    """Claims in date order (a month sorts before its days' claims of the same start;
    undated claims last), then by id."""
    return sorted(claims, key=_order_key)


# --------------------------------------------------------------------------- snapshot
@dataclass(frozen=True, slots=True)
class SnapshotRow:
    """The control picture of one place on a date: each side's latest claim and a state
    (`agree-RU`, `agree-UA`, `disputed`, `fighting`, `one-sided`)."""

    place: Place
    as_of: str
    state: str
    ru: StoredClaim | None = None
    ua: StoredClaim | None = None
    other: StoredClaim | None = None  # the latest claim of a third party (OTHER or UNKNOWN)

    def to_dict(self) -> dict[str, Any]:
        p = self.place
        row: dict[str, Any] = {"place_id": p.id, "place": p.name, "admin1": p.admin1,
                               "country": p.country, "lat": p.lat, "lon": p.lon,
                               "as_of": self.as_of, "state": self.state}
        for side, sc in (("ru", self.ru), ("ua", self.ua), ("other", self.other)):
            c = sc.claim if sc else None
            row[f"{side}_status"] = c.status if c else None
            row[f"{side}_controller"] = c.controller if c else None
            row[f"{side}_percent"] = c.percent if c else None
            row[f"{side}_claimant"] = c.claimant if c else None
            row[f"{side}_date"] = sc.when if sc else None
            row[f"{side}_claim_id"] = sc.id if sc else None
        return row


def _state(ru: StoredClaim | None, ua: StoredClaim | None) -> str:
    if ru is None or ua is None:
        return "one-sided"
    if contradiction(ru, ua) is not None:
        return "disputed"
    hr, hu = _holder(ru), _holder(ua)
    if hr is not None and hr == hu:
        return f"agree-{hr}"
    if hr is not None and hu is not None:
        return "disputed"
    return "fighting"


def snapshot(claims: Iterable[StoredClaim], as_of: date) -> list[SnapshotRow]:
    """For each place, the latest claim of each side made by `as_of` (a claim dated to a
    month counts from the month's first day) and the state they add up to; places by name."""
    latest: dict[str, dict[str, tuple[tuple, StoredClaim]]] = defaultdict(dict)
    places: dict[str, Place] = {}
    for sc in claims:
        r = _range(sc)
        if r is None or r[0] > as_of:
            continue
        side = sc.claim.claimant_side if sc.claim.claimant_side in MAIN_SIDES else "OTHER"
        # the most recent, then the most precise, then the most decisive, then the last stored
        key = (min(r[1], as_of), r[0], sc.claim.status != "fighting", sc.id)
        pid = sc.claim.place.id
        places[pid] = sc.claim.place
        seen = latest[pid].get(side)
        if seen is None or key > seen[0]:
            latest[pid][side] = (key, sc)
    rows = []
    for pid, by_side in latest.items():
        ru = by_side.get("RU", (None, None))[1]
        ua = by_side.get("UA", (None, None))[1]
        other = by_side.get("OTHER", (None, None))[1]
        rows.append(SnapshotRow(place=places[pid], as_of=as_of.isoformat(), state=_state(ru, ua),
                                ru=ru, ua=ua, other=other))
    rows.sort(key=lambda r: (r.place.name.lower(), r.place.id))
    return rows


# --------------------------------------------------------------------------- chart
def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


LANES = ("RU", "UA", "OTHER", "UNKNOWN")
MARKERS = {  # status -> (marker, fill style, size)
    "controls": ("s", "full", 11),
    "partial": ("o", "left", 12),
    "denies": ("X", "full", 11),
    "fighting": ("*", "full", 15),
    "encircled": ("o", "none", 12),
    "withdrew": ("v", "full", 11),
}


def render_timeline_chart(place: Place, claims: Iterable[StoredClaim], path: Path | str,
                          fmt: str | None = None) -> Path:
    """Draw the claims about one place as a chart (PNG or SVG, 1200x500 px): time across, one
    lane per claimant side, marker by status, colour by controller, shares labelled.
    Claims dated to a month or year show the span they cover as a bar; periods of RU-vs-UA
    disputes (`find_disputes` with its defaults) are shaded. Returns the path."""
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.dates as mdates
    import matplotlib.pyplot as plt
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    path = Path(path)
    fmt = (fmt or path.suffix.lstrip(".") or "png").lower()
    if fmt not in ("png", "svg"):
        raise ValueError(f"chart format must be png or svg, not {fmt!r}")
    items = timeline(claims)
    dated = [(sc, r) for sc in items if (r := _range(sc)) is not None]
    undated = len(items) - len(dated)

    fig, ax = plt.subplots(figsize=(12, 5), dpi=100)
    lane_y = {side: len(LANES) - 1 - i for i, side in enumerate(LANES)}
    # claims sharing a lane and a day are spread vertically so that none hides another
    slots: dict[tuple[str, date], int] = defaultdict(int)
    statuses_used: list[str] = []
    controllers_used: set[str | None] = set()
    for sc, (start, end) in dated:
        c = sc.claim
        side = c.claimant_side if c.claimant_side in lane_y else "UNKNOWN"
        mid = start + (end - start) / 2
        n = slots[(side, mid)]
        slots[(side, mid)] += 1
        y = lane_y[side] + (0.18 * ((n + 1) // 2) * (1 if n % 2 else -1) if n else 0)
        colour = COLOURS.get(c.controller, COLOURS[None])
        if end > start:
            ax.plot([start, end + timedelta(days=1)], [y, y], color=colour, alpha=0.35, lw=5,
                    solid_capstyle="butt", zorder=1)
        marker, fill, size = MARKERS.get(c.status, ("o", "full", 10))
        kw: dict[str, Any] = dict(marker=marker, markersize=size, color=colour, fillstyle=fill,
                                  markeredgecolor=colour, markeredgewidth=1.5, linestyle="none", zorder=3)
        if fill == "left":
            kw["markerfacecoloralt"] = "white"
        if fill == "none":
            kw["markeredgewidth"] = 2.5
        ax.plot([mid], [y], **kw)
        if c.percent is not None:
            ax.annotate(f"{c.percent:g}%", (mdates.date2num(mid), y), xytext=(8, 6),
                        textcoords="offset points", fontsize=9, color=colour, fontweight="bold")
        if c.status not in statuses_used:
            statuses_used.append(c.status)
        controllers_used.add(c.controller)

    # periods in which the two sides contradict each other, shaded behind the lanes
    disputed = find_disputes([sc for sc, _ in dated])
    for d in disputed:
        ax.axvspan(date.fromisoformat(d.start) - timedelta(hours=12),
                   date.fromisoformat(d.end) + timedelta(hours=12), color="#ffd966", alpha=0.35, zorder=0.5)

    ax.set_yticks([lane_y[s] for s in LANES])
    ax.set_yticklabels([{"RU": "RU side", "UA": "UA side", "OTHER": "third parties",
                         "UNKNOWN": "unknown"}[s] for s in LANES], fontsize=11)
    ax.set_ylim(-0.7, len(LANES) - 0.3)
    for i in range(len(LANES)):
        if i % 2 == 0:
            ax.axhspan(i - 0.5, i + 0.5, color="#f2f2f2", zorder=0)
    if dated:
        lo = min(r[0] for _, r in dated)
        hi = max(r[1] for _, r in dated)
        pad = max(timedelta(days=3), (hi - lo) * 0.05)
        ax.set_xlim(lo - pad, hi + pad)
    else:
        ax.text(0.5, 0.5, "no dated claims", transform=ax.transAxes, ha="center", va="center",
                fontsize=14, color="#7f7f7f")
        ax.set_xticks([])
    locator = mdates.AutoDateLocator(minticks=4, maxticks=10)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
    ax.grid(axis="x", color="#dddddd", lw=0.8)
    ax.set_axisbelow(True)
    for spine in ("top", "right"):
        ax.spines[spine].set_visible(False)

    where = ", ".join(x for x in (place.admin1, place.country) if x)
    sources = len({sc.claim.claimant for sc in items})
    title = f"{place.name}" + (f" ({where})" if where else "")
    sub = f"{_plural(len(items), 'claim')} by {_plural(sources, 'claimant')}"
    if undated:
        sub += f"; {undated} undated not shown"
    ax.set_title(f"{title}\n", fontsize=15, fontweight="bold", loc="left")
    ax.text(0, 1.02, sub, transform=ax.transAxes, fontsize=10, color="#555555")

    status_handles = [
        Line2D([], [], marker=MARKERS[s][0], fillstyle=MARKERS[s][1], color="#333333",
               markerfacecoloralt="white", markersize=MARKERS[s][2] * 0.8, linestyle="none",
               markeredgewidth=2 if MARKERS[s][1] == "none" else 1, label=s)
        for s in MARKERS if s in statuses_used or not statuses_used
    ]
    if any(r[1] > r[0] for _, r in dated):
        status_handles.append(Line2D([], [], color="#999999", alpha=0.5, lw=5,
                                     label="month/year date\n(span covered)"))
    if disputed:
        status_handles.append(Patch(color="#ffd966", alpha=0.5, label="RU vs UA dispute"))
    colour_handles = [Patch(color=COLOURS[k], label={"RU": "RU", "UA": "UA",
                                                     None: "no controller"}[k])
                      for k in ("RU", "UA", None) if k in controllers_used or not controllers_used]
    leg1 = ax.legend(handles=status_handles, title="status", loc="upper left", bbox_to_anchor=(1.01, 1.0),
                     frameon=False, fontsize=9, title_fontsize=10)
    ax.add_artist(leg1)
    ax.legend(handles=colour_handles, title="colour = controller", loc="lower left",
              bbox_to_anchor=(1.01, 0.0), frameon=False, fontsize=9, title_fontsize=10)
    fig.subplots_adjust(left=0.1, right=0.81, top=0.84, bottom=0.1)
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, format=fmt)
    plt.close(fig)
    return path


__all__ = [
    "SnapshotRow",
    "concurrence",
    "context_claims",
    "contradiction",
    "date_range",
    "describe",
    "dispute_dict",
    "find_agreements",
    "find_disputes",
    "render_timeline_chart",
    "snapshot",
    "timeline",
]
