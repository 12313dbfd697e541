"""Claims: status, controller, percent, date and evidence for each place a speaker mentions.

Rules follow the grammar of news reporting, not particular articles:
- a trigger (control predicate, fighting noun, withdrawal verb, denial) attaches to the
  nearest place, or coordinated list of places, in its clause;
- the controller is the agent of the predicate ("Russian forces captured", "under the
  control of the Armed Forces of Ukraine", "the encircled Ukrainian forces" -> the other
  side surrounds them), with "our"/"its forces" taking the speaker's side and "the enemy"
  the other one;
- a control claim under a denial ("denied that ... captured", "untrue are statements that
  80% of X has been captured") or a negation becomes `denies`, keeping its controller and
  share; a denial with no place of its own refers to the last control claim;
- the claimant is the speech act covering the words (attribution.py) or the outlet.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from .attribution import NARRATOR, Speaker, SpeechAct, _last
from .dates import DateMention, default_date
from .lexicon import Lexicon
from .models import Analysis, Claim, PlaceMention, Side, Span
from .text import Sentence, SpanIndex

EXTRACTOR = "rules-en"
EXTRACTOR_VERSION = "0.1.0"


def analysis_version(analysis: Analysis) -> str:
    """The extractor version behind an analysis: its claims', else the current one."""
    return analysis.claims[0].extractor_version if analysis.claims else EXTRACTOR_VERSION

_CLAUSE_BREAK = re.compile(
    r";|\s[—–]\s|:\s|,\s+(?:but|while|whereas|where|which|although|though|as|after|since|"
    r"before|with|when|even as|amid)\b|\s+but\s+|\.\s|,\s+(?=[\"“])|[\"”](?=\s*,)|\(|\)"
)
_LIST_GLUE = re.compile(
    r"^(?:\s*,\s*(?:and|or)?\s*|\s+(?:and|or|as well as)\s+|\s*[-–]\s*|\s*/\s*)"
    r"(?:(?:the|a)\s+)?(?:(?:[a-z-]+\s+){0,2}(?:towns?|villages?|city|cities|settlements?|"
    r"hamlets?)\s+(?:of\s+)?)?$"
)
_PERCENT = re.compile(r"(\d+(?:[.,]\d+)?)\s?(?:%|per ?cent|percent)")
_FRACTION = {"half": 50.0, "a third": 33.0, "two-thirds": 67.0, "two thirds": 67.0,
             "a quarter": 25.0, "three-quarters": 75.0, "three quarters": 75.0}
# triggers that take their place after them ("capture of X", "entered X")
_PREPOSED = re.compile(
    r"(?:of|into|to|in|from|over|entered|entering|captured|seized|liberated|retook|recaptured|"
    r"took|taken|within|annexed|withdrew|retreated|abandoned|encircled|surrounded|near|stormed|"
    r"attacked|attacks|assaults?|clashes|fighting|battles?|offensive|shelling)$",
    re.I,
)
_LOCATIVE = re.compile(r"(?:\b(?:in|to|near|outside|around|from|capital|at|into|of)\s+(?:the\s+)?)$", re.I)
_METONYM_AFTER = re.compile(
    r"^(?:['’]s\s+(?:forces|troops|army|military|claim|claims|statement|announcement|position|"
    r"troops|offensive|government|officials|defen[cs]e)|\s+(?:and\s+the\s+West|claimed|claims|said|says|"
    r"announced|sought|seeks|rejected|rejects|controls|hoped|hopes|insists|insisted|denied|"
    r"denies|has\s+(?:said|claimed|not)|refuses|wants|launched))\b"
)


_ADJ_SIDE = re.compile(r"\b(russian|ukrainian|moscow|kremlin|kyiv|kiev)\b", re.I)
_CONDITIONAL = re.compile(r"\b(?:if|unless|whether|asked)\b", re.I)
_LOCATOR_REGION = re.compile(
    r"^\s*(?:,\s*|\s+in\s+(?:the\s+)?(?:[A-Z]\w+['’]s\s+)?(?:(?:north|south|east|west)\w*\s+)?)$"
)
_LOCATOR_BEFORE = re.compile(
    r"(?:\b(?:north|south|east|west)\w*\s+of|\bnear|\boutside|\btoward|\btowards|\bfrom|"
    r"\bkilomet\w+\s+\w+\s+of)\s+(?:the\s+)?$", re.I)
_DENIED_AFTER = re.compile(
    r"[^.;,]{0,60}?\b(?:is|are|was|were|do|does|did|have|has)\s+(?:\w+\s+)?(?:untrue|not\s+true|false|"
    r"fake|a\s+lie|lies|fiction|groundless|baseless|nonsense|not\s+correspond|nothing\s+to\s+do\s+with|"
    r"not\s+reflect|not\s+confirmed|disinformation|propaganda)", re.I)
_CLAIM_OWNER = re.compile(
    r"\b(Russia|Moscow|Kremlin|Russian|Ukraine|Kyiv|Kiev|Ukrainian)(?:['’]s)?\s+"
    r"(?:\w+\s+){0,2}?(?:claims?|statements?|reports?|media|announcement|"
    r"assertions?|propaganda|defen[cs]e ministry|ministry)")
_UNCONFIRMED = re.compile(
    r"\b(?:not|never|n['’]t)\s+(?:yet\s+|independently\s+|been\s+able\s+to\s+)?"
    r"(?:confirm\w*|verif\w*)\b[^.;]{0,40}$", re.I)
_PAST_SPELL = re.compile(r"\bafter\s+(?:\w+\s+){0,3}(?:months?|weeks?|years?|days?)\s+$", re.I)
_INTENT = re.compile(
    r"\b(?:attempt(?:s|ing|ed)?\s+to|trying\s+to|tried\s+to|tries\s+to|seek(?:s|ing)?\s+to|"
    r"sought\s+to|aim(?:s|ing|ed)?\s+(?:to|at)|bid\s+to|push(?:ing|es|ed)?\s+to|"
    r"concentrat\w+\s+on|efforts?\s+to|goal\s+of|plans?\s+to|planning\s+to|intend\w*\s+to|"
    r"hopes?\s+to|hoped\s+to|fail(?:ed|ing|s)?\s+to|threat(?:en\w*)?\s+to|battle\s+for|"
    r"fight(?:ing)?\s+for|objective|in\s+order\s+to|will|would|could|may|might|"
    r"on\s+the\s+brink\s+of|close\s+to|poised\s+to|about\s+to|struggl\w+\s+to)"
    r"\s+(?:\S+\s+){0,2}$",
    re.I,
)
_HEDGE = re.compile(r"\b(?:risk|threat|danger|avoid\w*|prevent\w*|escap\w*|break\w* out of|"
                    r"possible|possibility|could|may|might|would)\b[^.;]{0,30}$", re.I)
_WEAK_FIGHT = re.compile(r"advancing|advances|advanced|advance|pushing|pressing|direction|sector|"
                         r"axis|offensive|offensives|attack|attacks|strikes on|pocket")
_SHARE = re.compile(r"(?:\d|square|half|a third|two|a quarter|three|most|much|parts?|sections?|large|"
                    r"swathes|the (?:northern|southern|eastern|western|central)|remaining|the rest)", re.I)
_CONTROL_VERB = re.compile(
    r"\b(?:ours|theirs|control\w*|hold\w*|held|occup\w+|captur\w+|seiz\w+|taken|took|take|liberat\w+|"
    r"hands|retook|gain\w*|overr[au]n|entered|took over|annex\w*|lost|lose|losing)\b",
    re.I,
)
_PART_GAP = re.compile(r"\d+\s?(?:%|per ?cent|percent)|\bsquare\s+(?:kilomet|km|mile)|"
                       r"\b(?:half|most|parts?|much|sections?|a third|a quarter|the rest) of\b", re.I)
_DIRECTIONAL = re.compile(
    r"(?:\b(?:north|south|east|west|northeast|northwest|southeast|southwest|north-east|"
    r"north-west|south-east|south-west)(?:ern)?\s+(?:of|outskirts of)|\bwithin|\bnear|\bin the)\s+"
    r"(?:the\s+(?:village|town|settlement|city)\s+of\s+)?$",
    re.I,
)


def _outside_parens(text: str, sent: Sentence, trig: Trigger, mentions):
    """Mentions a trigger may claim about: not locators ("(west of X)", "X in the Y region",
    "the Y region settlement") unless nothing else is there."""
    out = []
    prev = None
    for m in mentions:
        if m.place.is_region and prev is not None and not prev.place.is_region and (
                _LOCATOR_REGION.match(text[prev.end : m.start])) and not (
                prev.end <= trig.start < m.start):
            prev = m
            continue
        if m.place.is_region and re.match(
                r"\s+(?:border\s+)?(?:region\s+|oblast\s+)?(?:settlements?|towns?|cit(?:y|ies)|villages?)\b",
                text[m.end : m.end + 40], re.I):
            prev = m
            continue
        prev = m
        o = text.rfind("(", sent.start, m.start)
        c = text.rfind(")", sent.start, m.start)
        if o > c and not (o < trig.start < (text.find(")", m.end, sent.end) % len(text) + 1)):
            continue
        out.append(m)
    return out


def _directional_chain(text: str, group, sent: Sentence, mentions) -> list:
    """Places that continue a list of directions after the first: "..., west of X, north of Y"."""
    extra = []
    last_end = group[-1].end
    for m in mentions:
        if m.start <= last_end:
            continue
        gap = text[last_end : m.start]
        if not (_DIRECTIONAL.search(gap) or (extra and _LIST_GLUE.match(gap))):
            break
        if re.search(r"[.;]", gap) or len(gap) > 120:
            break
        extra.append(m)
        last_end = m.end
        close = text.find(")", m.end, sent.end)
        openp = text.find("(", m.end, sent.end)
        if openp != -1 and close != -1 and openp < close and openp - m.end < 3:
            last_end = close + 1
    return extra


@dataclass(frozen=True, slots=True)
class Trigger:
    status: str
    start: int
    end: int
    text: str
    share: Trigger | None = None  # a share phrase ("80% of") merged into a control trigger


def keep_mention(text: str, m: PlaceMention, sentence_start: int) -> bool:
    """False for a settlement used as a political actor ("Moscow claimed", "Kyiv's forces")."""
    if m.place.is_region:
        return True
    after = text[m.end : m.end + 40]
    if _METONYM_AFTER.match(after):
        before = text[max(sentence_start, m.start - 20) : m.start]
        return bool(_LOCATIVE.search(before))
    return True


class ClaimExtractor:
    """Turns sentences, place mentions and speech acts into claims."""

    def __init__(self, lexicon: Lexicon) -> None:
        self.lx = lexicon

    def extract(
        self,
        text: str,
        sentences: Sequence[Sentence],
        mentions: Sequence[PlaceMention],
        acts: Sequence[SpeechAct],
        quotes: Sequence[tuple[int, int]],
        quote_speakers: dict[tuple[int, int], Speaker],
        outlet: Speaker | None,
        dates: Sequence[DateMention],
        published: date | None,
        speaker_spans: Sequence[tuple[int, int]] = (),
    ) -> list[Claim]:
        claims: list[Claim] = []
        seen: dict[tuple, int] = {}
        act_index = SpanIndex([a for a in acts if a.scope_end - a.scope_start <= 5000],
                              start=lambda a: a.scope_start, end=lambda a: a.scope_end)
        long_acts = [a for a in acts if a.scope_end - a.scope_start > 5000]  # "Source:" lines
        quotes = SpanIndex(quotes)
        mention_index = SpanIndex(mentions, start=lambda m: m.start, end=lambda m: m.end)
        blocked = SpanIndex(speaker_spans)
        date_index = SpanIndex(dates, start=lambda d: d.start, end=lambda d: d.end)
        narrator = outlet or NARRATOR
        last_place: PlaceMention | None = None
        last_region: PlaceMention | None = None
        controls: list[Claim] = []  # control claims so far, for denials that name no place
        counts: dict[str, tuple[int, PlaceMention]] = {}
        last_head: PlaceMention | None = None
        for sent in sentences:
            sent_mentions = [m for m in mention_index.within(sent.start, sent.end)
                             if not blocked.covering(m.start)]
            # anaphors: "the city" -> the settlement named last
            for am in self.lx.anaphor.finditer(text, sent.start, sent.end):
                noun = am.group(1) or am.group(2)
                earlier = [m for m in sent_mentions if m.end <= am.start() and not m.place.is_region
                           and not _LOCATOR_BEFORE.search(text[max(0, m.start - 25) : m.start])]
                ref = last_region if noun.lower() == "region" else (
                    earlier[-1] if earlier else (last_head or _topic(counts, last_place)))
                if ref is not None and not any(m.start <= am.start() < m.end for m in sent_mentions):
                    sent_mentions.append(PlaceMention(am.start(), am.end(), am.group(0), ref.place,
                                                      ref.precision, ref.confidence * 0.9))
            sent_mentions.sort(key=lambda m: m.start)
            triggers = self._triggers(text, sent, sent_mentions, blocked)
            clauses = _clauses(text, sent)
            planned = []
            for trig in triggers:
                clause = next(((a, b) for a, b in clauses if a <= trig.start < b), (sent.start, sent.end))
                trig = self._reclassify(text, trig, sent)
                if trig is None:
                    continue
                eligible = _outside_parens(text, sent, trig, sent_mentions)
                group = self._attach(text, trig, clause, eligible)
                ante = _relative_antecedent(text, clause, eligible)
                if ante is not None and trig.status != "fighting-weak" and not any(
                        clause[0] <= m.start < trig.start for m in eligible) and (
                        not group or "," in text[trig.end : group[0].start]):
                    group = [ante]  # "Soledar, which is now controlled by ..., lies": about Soledar
                if group and trig.status.startswith("fighting"):
                    group = group + _directional_chain(text, group, sent, eligible)
                planned.append((trig, clause, group))
            planned = _merge_shares(planned)
            for trig, clause, group in planned:
                speaker = self._speaker(trig.start, act_index, long_acts, quotes, quote_speakers, narrator)
                if self._framing(text, trig, sent) and not any(
                        q[0] < trig.start for q in quotes.covering(trig.start)):
                    speaker = narrator  # "the Ukrainian-held town of": the reporter's description
                status = trig.status
                if group and _CONDITIONAL.search(text[clause[0] : trig.start]):
                    continue
                if not group:
                    last_control = next((c for c in reversed(controls) if c.controller != speaker.side),
                                        None)
                    if status == "denies" and last_control is not None and speaker.side in ("RU", "UA"):
                        group = [PlaceMention(trig.start, trig.end, trig.text, last_control.place)]
                        controller: Side | None = last_control.controller
                        self._add(claims, seen, text, sent, trig, group, speaker, "denies",
                                  controller, last_control.percent, date_index, published, clause)
                    continue
                controller = self._controller(text, trig, clause, group, speaker)
                percent = self._percent(trig) if status in ("partial", "denies") else None
                if trig.share is not None:
                    status, percent = "partial", self._percent(trig.share)
                denied = status in ("controls", "partial", "encircled", "withdrew") and self._denied(
                    text, trig, sent)
                if denied:
                    status = "denies"
                    # one denies the other side's gains; a third party's denial keeps the agent
                    controller = {"RU": "UA", "UA": "RU"}.get(speaker.side) or self._claim_owner(
                        text, sent.start, trig.start, speaker) or controller
                if status == "denies" and trig.status == "denies":
                    controller = self._denied_controller(text, trig, sent, speaker)
                if status in ("fighting", "fighting-weak"):
                    status = "fighting"
                    controller = None
                elif controller is None:
                    continue
                new = self._add(claims, seen, text, sent, trig, group, speaker, status, controller,
                                percent, date_index, published, clause)
                if new is not None and status in ("controls", "partial"):
                    controls.append(new)
            for m in sent_mentions:
                if m.place.is_region:
                    last_region = m
                else:
                    last_place = m
                    if not _LOCATOR_BEFORE.search(text[max(0, m.start - 25) : m.start]):
                        last_head = m
                    counts[m.place.id] = counts.get(m.place.id, (0, m))[0] + 1, m
        return sorted(claims, key=lambda c: -c.confidence)

    # ---- pieces -------------------------------------------------------------
    def _reclassify(self, text: str, trig: Trigger, sent: Sentence) -> Trigger | None:
        """Intent becomes fighting; hedged encirclement and bare shares without a control verb drop."""
        pre = text[max(sent.start, trig.start - 60) : trig.start]
        if trig.status in ("controls", "partial") and _INTENT.search(pre):
            return Trigger("fighting", trig.start, trig.end, trig.text)
        if _UNCONFIRMED.search(pre) or (trig.status in ("controls", "partial") and _PAST_SPELL.search(pre)):
            return None
        if trig.status == "encircled":
            post = text[trig.end : min(sent.end, trig.end + 40)]
            if _HEDGE.search(pre) or re.match(r"[^.;]{0,20}\b(?:was|is|were) not\b", post):
                return None
        if trig.status == "fighting" and _WEAK_FIGHT.fullmatch(trig.text.lower()):
            return Trigger("fighting-weak", trig.start, trig.end, trig.text)
        if trig.status == "partial" and _SHARE.match(trig.text):
            clause = next(((a, b) for a, b in _clauses(text, sent) if a <= trig.start < b),
                          (sent.start, sent.end))
            if not _CONTROL_VERB.search(text, clause[0], clause[1]):
                return None  # "the southern part of the city" alone says nothing about control
        return trig

    def _triggers(self, text, sent, mentions, speaker_spans) -> list[Trigger]:
        found: list[Trigger] = []
        for status, pat in self.lx.triggers.items():
            for m in pat.finditer(text, sent.start, sent.end):
                if any(p.start <= m.start() < p.end for p in mentions):
                    continue
                if status != "denies" and speaker_spans.covering(m.start()):
                    continue
                found.append(Trigger(status, m.start(), m.end(), m.group(0)))
        # a longer trigger hides a shorter one it contains ("withdrawal of" vs "withdrawal")
        found.sort(key=lambda t: (t.start, -(t.end - t.start)))
        out: list[Trigger] = []
        for t in found:
            if any(o.start <= t.start and t.end <= o.end and o.status == t.status for o in out):
                continue
            out.append(t)
        return out

    def _framing(self, text: str, trig: Trigger, sent: Sentence) -> bool:
        """Whether the trigger is part of an attributive description of control (lexicon
        ``narrator_framing``) that ends with it: "the Kiev-controlled part of"."""
        if self.lx.framing is None:
            return False
        start = max(sent.start, trig.start - 40)
        m = self.lx.framing.search(text, start, trig.end)
        return m is not None and m.start() <= trig.start

    def _speaker(self, pos, acts, long_acts, quotes, quote_speakers, narrator) -> Speaker:
        """The quotation's speaker, else the innermost speech act covering the words (the one
        that starts last, then the narrowest), else the narrator."""
        for q in quotes.covering(pos):
            if q[0] < pos and q in quote_speakers:
                return quote_speakers[q]
        covering = acts.covering(pos) + [a for a in long_acts if a.scope_start <= pos < a.scope_end]
        if not covering:
            return narrator
        best = max(covering, key=lambda a: (a.scope_start, -(a.scope_end - a.scope_start)))
        return best.speaker

    def _attach(self, text, trig, clause, mentions) -> list[PlaceMention]:
        """The nearest place, or coordinated list of places, in the trigger's clause."""
        inside = [m for m in mentions if clause[0] <= m.start < clause[1]]
        if not inside:
            return []
        groups: list[list[PlaceMention]] = []
        for m in inside:
            if groups and _LIST_GLUE.match(text[groups[-1][-1].end : m.start]):
                groups[-1].append(m)
            else:
                groups.append([m])
        preposed = bool(_PREPOSED.search(trig.text))
        best, best_d = None, 10**9
        for g in groups:
            if g[0].start >= trig.end:
                gap = text[trig.end : g[0].start]
                d = len(gap.split())
                limit = 9 if trig.status in ("controls", "partial", "withdrew", "denies", "encircled") else 8
                if trig.status == "fighting-weak":
                    limit = 3
                if re.search(r"\b(?:of|in|from|into|over|near|around|for|at|to|within)\b", gap) or preposed:
                    d -= 1
            else:
                gap = text[g[-1].end : trig.start]
                d = len(gap.split())
                limit = 0 if trig.status == "fighting-weak" else 8
                rel = _RELATIVE_AFTER.match(gap)
                if rel and not any(g[-1].end <= m.start < trig.start for m in inside):
                    if _PP_BEFORE.search(text, max(0, g[0].start - 12), g[0].start):
                        d = 10**6  # "the mine in the Donetsk region that remained": about the mine
                    elif rel.group(1) is None or rel.group(1).startswith(","):
                        d = 0  # "X, the peninsula which Russia annexed": the place the clause is about
                if preposed and trig.text.lower().endswith(" of"):
                    d += 4
            if d <= limit and d < best_d:
                best, best_d = g, d
        return best or []

    def _side_at(self, text: str, start: int, end: int, speaker: Speaker, last: bool = True
                 ) -> tuple[Side | None, int]:
        hits: list[tuple[int, Side]] = []
        for side, pat in self.lx.side.items():
            for m in pat.finditer(text, start, end):
                if side == "self":
                    s = speaker.side if speaker.side in ("RU", "UA") else None
                elif side == "other":
                    s = {"RU": "UA", "UA": "RU"}.get(speaker.side)
                else:
                    s = side
                if s:
                    hits.append((m.start(), s))  # type: ignore[arg-type]
        for side, pat in self.lx.country_agents.items():
            for m in pat.finditer(text, start, end):
                before = text[max(0, m.start() - 12) : m.start()].lower()
                if re.search(r"\b(?:of|in|into|from|to|against|across|on|with|for|inside|"
                             r"within|near|and|eastern|western|southern|northern)\s+$", before):
                    continue
                if text[m.end() : m.end() + 2] in ("'s", "’s") or text[m.start()-1:m.start()] == "-":
                    continue
                hits.append((m.start(), side))  # type: ignore[arg-type]
        if not hits:
            return None, -1
        pos, side = max(hits) if last else min(hits)
        return side, pos

    def _controller(self, text, trig, clause, group, speaker) -> Side | None:
        if trig.status.startswith("fighting"):
            return None
        t = trig.text.lower()
        own = _ADJ_SIDE.search(trig.text)
        if own and trig.status != "encircled":
            return "RU" if own.group(1).lower() in ("russian", "moscow", "kremlin") else "UA"
        # agent after: "under the control of X", "held by X", "withdrawal of X troops"
        after_end = min(clause[1], trig.end + 60)
        if trig.status == "encircled" and re.search(
                r"\b(?:were|was|are|is|been|being|remain|remains|remained|got|get)\s+(?:\w+\s+)?$",
                text[clause[0] : trig.start]):
            side, _ = self._side_at(text, clause[0], trig.start, speaker)
            by = re.match(r"\s+by\s", text[trig.end : clause[1]])
            if by:
                agent, _ = self._side_at(text, trig.end, clause[1], speaker, last=False)
                if agent:
                    return agent
            if side:
                return {"RU": "UA", "UA": "RU"}.get(side)
        if re.search(r"(?:of|by|under|in|for)$", t) or trig.status == "encircled":
            first_place = min((m.start for m in group), default=after_end)
            stop = first_place if first_place > trig.end else after_end
            side, _ = self._side_at(text, trig.end, min(stop, after_end), speaker, last=False)
            if side:
                if trig.status == "encircled":
                    return {"RU": "UA", "UA": "RU"}.get(side)
                return side
        if re.search(r"remains? under|remained under", t):
            side, _ = self._side_at(text, trig.end, after_end, speaker, last=False)
            if side:
                return side
        # agent before, within the clause
        side, _ = self._side_at(text, clause[0], trig.start, speaker)
        if side:
            return side
        # agent after a passive or nominal trigger: "fell to Russian forces", "captured by"
        after = text[trig.end : clause[1]]
        pm = re.match(r"\s*(?:[^,;]{0,60}?\s)?(?:by|to)\s", after)
        if pm and trig.status != "withdrew":
            side, _ = self._side_at(text, trig.end + pm.end(), clause[1], speaker, last=False)
            if side:
                return side
        if re.match(r"fall|fell|has fallen|have fallen|had fallen", t):
            return "RU"  # a fall is the defender's loss; absent an agent, the attacker holds it
        if speaker.side in ("RU", "UA"):
            return speaker.side
        return "UA" if trig.status == "withdrew" else "RU"

    def _denied(self, text, trig, sent) -> bool:
        pre = text[sent.start : trig.start]
        if re.search(r"\b(?:not|never|no longer|n['’]t|failed to|unable to)\s+(?!only\b)(?:\w+\s+){0,2}$",
                     pre):
            return True
        if re.search(r"\b(?:alleged(?:ly)?|purported(?:ly)?|so-called)\s+$", pre):
            return True
        den = self.lx.triggers["denies"]
        for m in den.finditer(text, sent.start, trig.start):
            between = text[m.end() : trig.start]
            if len(between.split()) <= 16 and not re.search(r"[;.]|\bbut\b", between) and (
                    "," not in between or re.search(r"\b(?:that|about|of)\b", between)):
                return True
        after = text[trig.end : min(sent.end, trig.end + 90)]
        return bool(_DENIED_AFTER.match(after))

    def _claim_owner(self, text, start, end, speaker) -> Side | None:
        """The side whose claim is denied: "Moscow's claim", "Russia's claims", "Russian media"."""
        m = _last(_CLAIM_OWNER.finditer(text, start, end))
        if m:
            return "RU" if m.group(1) in ("Russia", "Moscow", "Kremlin", "Russian") else "UA"
        return None

    def _denied_controller(self, text, trig, sent, speaker) -> Side | None:
        side, _ = self._side_at(text, trig.end, sent.end, speaker, last=False)
        if side and side != speaker.side:
            return side
        return {"RU": "UA", "UA": "RU"}.get(speaker.side, "RU")  # type: ignore[return-value]

    def _percent(self, trig: Trigger) -> float | None:
        m = _PERCENT.search(trig.text)
        if m:
            return float(m.group(1).replace(",", "."))
        low = trig.text.lower()
        for word, val in _FRACTION.items():
            if low.startswith(word):
                return val
        return None

    def _add(self, claims, seen, text, sent, trig, group, speaker, status, controller, percent,
             dates, published, clause) -> Claim | None:
        new = None
        for m in group:
            if m.place.country not in (None, "UA", "RU") and not m.place.is_region:
                continue
            start = min(trig.start, m.start)
            end = max(trig.end, m.end)
            start, end = _expand(text, start, end, clause)
            d = _nearest_date(dates.within(sent.start, sent.end), trig.start, m.start, sent, clause)
            if d is None:
                dv, dp = default_date(published)
            else:
                dv, dp = d.value, d.precision
            conf = 0.5 + (0.2 if speaker.kind != "narrator" and speaker.kind != "outlet" else 0.0) + (
                0.15 if abs(trig.start - m.start) < 60 else 0.0) + (
                0.1 if trig.status in ("controls", "partial", "withdrew", "denies") else 0.0)
            if not re.search(r"[.!?\"”]$", sent.text):
                conf -= 0.2  # headlines, captions and cut-off lines say less than the body
            claim = Claim(
                claimant=speaker.name, claimant_side=speaker.side, place=m.place, status=status,
                controller=controller, evidence=Span(start, end, text[start:end]), percent=percent,
                date=dv, date_precision=dp, cue=trig.text, confidence=min(conf, 0.95),
                extractor=EXTRACTOR, extractor_version=EXTRACTOR_VERSION,
            )
            key = (claim.claimant, claim.claimant_side, m.place.id, status, controller)
            if key in seen:
                old = claims[seen[key]]
                if old.percent is None and percent is not None:
                    claims[seen[key]] = claim  # the reading that states the share says more
                continue
            seen[key] = len(claims)
            claims.append(claim)
            new = new or claim
        return new


def _merge_shares(planned):
    """A control predicate and a share phrase on the same place in one clause make one
    `partial` claim with the predicate's agent ("hold over 80% of X", "the rest of X in
    Russian hands"); the share phrase alone is not claimed again."""
    out = []
    shares = [(t, c, g) for t, c, g in planned if t.status == "partial" and g and _SHARE.match(t.text)]
    used = set()
    for t, c, g in planned:
        if t.status == "controls" and g:
            ids = {m.place.id for m in g}
            for st, sc, sg in shares:
                if sc == c and ids & {m.place.id for m in sg}:
                    t = Trigger(t.status, t.start, t.end, t.text, share=st)
                    used.add(id(st))
                    break
        out.append((t, c, g))
    return [(t, c, g) for t, c, g in out if id(t) not in used]


def _topic(counts: dict[str, tuple[int, PlaceMention]], last: PlaceMention | None):
    """The settlement "the city" refers to: the most mentioned so far, else the last one."""
    if not counts:
        return last
    n, m = max(counts.values(), key=lambda v: (v[0], v[1].start))
    if last is not None and counts.get(last.place.id, (0, None))[0] == n:
        return last
    return m


#: The gap between a place and a trigger in a relative clause about it: "X which Russia
#: annexed", "X, the peninsula which Russia annexed".
_APPOSITIVE = r"\s*,\s*(?:the|a|an)\s+[^,;]{0,60}?"  # ", the Black Sea peninsula"
_RELATIVE_AFTER = re.compile(rf"({_APPOSITIVE})?\s*,?\s*(?:which|that)\s+(?:\w+\s+){{0,2}}$")
_PP_BEFORE = re.compile(r"\b(?:in|of|near|at|from|around|outside)\s+(?:the\s+)?$", re.I)


def _relative_antecedent(text: str, clause: tuple[int, int], mentions: Sequence[PlaceMention]
                         ) -> PlaceMention | None:
    """The place a non-restrictive relative clause (", which ...") is about: the place right
    before its comma, or before an appositive ("X, the peninsula, which")."""
    if not re.search(r",\s+which$", text[max(0, clause[0] - 10) : clause[0]]):
        return None
    comma = text.rfind(",", 0, clause[0])
    before = [m for m in mentions if m.end <= comma]
    if not before:
        return None
    m = max(before, key=lambda m: m.end)
    return m if _APPOSITIVE_GAP.fullmatch(text, m.end, comma) else None


_APPOSITIVE_GAP = re.compile(rf"(?:{_APPOSITIVE})?\s*")


def _clauses(text: str, sent: Sentence) -> list[tuple[int, int]]:
    out, start = [], sent.start
    for m in _CLAUSE_BREAK.finditer(text, sent.start, sent.end):
        if m.start() > start:
            out.append((start, m.start()))
        start = m.end() if m.group(0).strip(" ,") not in ("(", ")") else m.end()
    out.append((start, sent.end))
    return [(a, b) for a, b in out if b > a]


def _expand(text: str, start: int, end: int, clause: tuple[int, int]) -> tuple[int, int]:
    a = max(clause[0], start - 40)
    sp = text.rfind(" ", a, start)
    start = sp + 1 if sp != -1 and start - a >= 40 else a
    while start < end and not text[start].isalnum():
        start += 1
    e = min(clause[1], end + 30)
    sp = text.find(" ", end, e)
    end = sp if sp != -1 else e
    while end > start and not (text[end - 1].isalnum() or text[end - 1] in "%”\"'’)"):
        end -= 1
    return start, end


def _nearest_date(dates: Sequence[DateMention], trig: int, place: int, sent: Sentence,
                  clause: tuple[int, int]) -> DateMention | None:
    """The date words of the claim's clause nearest its place; else a date that opens the
    sentence before the claim ("On March 12, ..."); else none."""
    in_clause = [d for d in dates if clause[0] <= d.start < clause[1]]
    if in_clause:
        return min(in_clause, key=lambda d: abs(d.start - place))
    before = [d for d in dates if sent.start <= d.start < min(trig, place)]
    return before[0] if before else None
