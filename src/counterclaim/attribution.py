"""Attribution: who says what.

For each sentence we find speech acts — a cue verb ("said", "denied", "according to")
with its speaker — and the span of text each act covers. Speakers are named actors from
the actors file, people (with the side their title or apposition gives them), groups
("Ukrainian defence officials", "pro-Russian war bloggers"), or back-references ("he",
"the ministry") resolved to the speaker named before. Quotations take the speaker of the
cue that frames them, across several sentences. What no act covers is the outlet speaking
in its own voice (or an unknown narrator).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from .actors import ActorIndex
from .lexicon import Lexicon, name_words
from .models import Actor, PlaceMention, Side
from .text import Sentence, SpanIndex

_NAT = (r"(?:[Pp]ro-Russian|[Pp]ro-Ukrainian|Russian-installed|Moscow-installed|Russian|Russia['’]s|"
        r"Ukrainian|Ukraine['’]s|Kyiv['’]s|Kiev['’]s|Moscow['’]s|Kremlin['’]s|British|Britain['’]s|"
        r"UK|U\.S\.|US|American|Western)")
_GROUP = (r"(?:military(?:\s+bloggers|\s+intelligence|\s+experts|\s+officials|\s+sources|\s+command)?|"
          r"forces|troops|army|officials?|(?:war\s+|mil\s+|military\s+)?bloggers|milbloggers|"
          r"(?:defen[cs]e\s+)?ministry|command|experts?|sources?|authorities|government|side|media|"
          r"brigade|channels?|analysts?|intelligence|commanders?|officers?|servicemen|soldiers|units|"
          r"[Gg]eneral\s+[Ss]taff|spokes(?:man|woman|person)|governor|administration|"
          r"monitoring\s+group|project|correspondents?|marines|paratroopers|Ministry\s+of\s+Defen[cs]e)")
_GROUP_NP = re.compile(
    rf"(?:\b(?:[Aa]n?|[Tt]he|[Ss]ome|[Tt]wo|[Ss]everal)\s+)?"
    rf"(?:\b(?!(?:for|of|at|in|to|by|with|from|on|spokes\w+|head|chief|and|or|citing|according|said|says|"
    rf"told|reported|claimed|per|that|which|where|when|as|while|after|before|but|if)\b)[a-z][\w-]*\s+){{0,2}}?{_NAT}"
    rf"\s+(?:[a-z0-9][\w’'-]*\s+){{0,3}}{_GROUP}\b"
    rf"|\b[Tt]he\s+forces\s+of\s+(?:Kyiv|Kiev|Moscow|Russia|Ukraine)\b"
    rf"|(?:\b[Tt]he\s+)?{_NAT}\s+(?:[A-Z0-9][\w-]*\s+){{0,4}}(?:Task\s+Force|Forces|Force|Command|Group|"
    rf"Brigade|Corps|Army|Staff|Service|Guard|Directorate|Ministry|Agency|Navy|Division|Regiment)\b"
    rf"|\b(?:Moscow|Kyiv|Kiev|Russia|Ukraine|the\s+Kremlin)\b(?!['’]s|\s+[A-Z])"
)
_BARE_GROUP = re.compile(
    r"\b(?:(?:[Mm]ilitary\s+)?[Ii]ntelligence(?:\s+briefing)?|(?:[Mm]il(?:itary)?\s+)?(?:[Bb]loggers|[Mm]ilbloggers|[Oo]fficials|[Ee]xperts|[Aa]nalysts|"
    r"[Ss]ources|[Ww]itnesses|[Rr]esidents|[Cc]ommanders))\b"
)

_UNIT_WORDS = name_words()["unit_words"]
_ROLE_OF = re.compile(
    r"(?<!,\s)\b(?:(?:[Tt]he|[Aa])\s+(?:deputy\s+|acting\s+|top\s+)?(?:commander|head|chief|"
    r"spokes(?:man|woman|person)|press\s+(?:service|office|secretary)|representative|officer|soldier|"
    r"source)|(?:[Ss]ervicemen|[Ss]oldiers|[Ff]ighters|[Mm]embers|[Cc]ommanders|[Oo]fficers))"
    r"\s+(?:of|for|in|from)\s+"
)
_PERSON = re.compile(
    r"\b[A-Z][a-z]+(?:-[A-Z][a-z]+)?(?:\s+(?:[A-Z]\.\s+)?[A-Z][a-z]+(?:-[A-Z][a-z]+)?){1,2}\b"
)
_NOT_NAME = name_words()["not_name"] | name_words()["function_words"]
_ADVERBIAL = re.compile(
    r"^(?:\s|,|\b(?:on|in|at|earlier|later|also|previously|recently|then|today|yesterday|has|have|had|"
    r"was|were|is|been|later|the|same|day|a|an|statement|video|live|television|its|his|her|their|"
    r"late|evening|morning|night|telegram|channel|facebook|x|separately|again|further|"
    r"repeatedly|formally|publicly|already|\w+day|\d+|january|february|march|april|may|june|july|"
    r"august|september|october|november|december|of|this|week|month|year|also|first|had|"
    r"\w+ly)\b)*$",
    re.I,
)
_PARTICIPLE = re.compile(
    r"^\s*,\s*(?:which|who|that)\s+(?:is|are|was|were|has|have|had)\s+[^,.;]{1,70},\s*$"
    r"|^\s*,?\s*(?:(?:operating|based|deployed|stationed|fighting|serving|defending)\s+"
    r"(?:in|near|on|at|around)|in|of|at|from|within|close\s+to|linked\s+to|with\s+ties\s+to)"
    r"\s+[^,.;]{1,70}?,?\s*$"
)
_OWN_REPORTING = re.compile(r"(?:\btold\s+(?:the\s+)?|\(\s*(?:Source|Photo|Credit)s?\s*:\s*(?:the\s+)?)$",
                            re.I)
_PRONOUN = re.compile(r"\b(?:[Hh]e|[Ss]he|[Ii]t|[Tt]hey)\b")
_ROLE_REF = re.compile(
    r"\b(?:[Tt]he\s+|(?=[Bb]loggers|[Oo]fficials|[Ee]xperts|[Ss]ources))(?:(?:defen[cs]e|regional|Ukrainian|Russian)\s+)?"
    r"(ministry|minister|official|spokes(?:man|woman|person)|governor|commander|president|"
    r"general\s+staff|bloggers|brigade|military|army|group|analyst|expert|statement|report|"
    r"agency|command|intelligence|briefing|institute|think\s+tank)\b",
    re.I,
)
_APPOSITIVE_START = re.compile(
    r"^\s*,\s*(?:the\s+|a\s+|an\s+)?(?:[\w'’-]+\s+){0,6}?"
    r"(?:spokes(?:man|woman|person)|commander|chief|head|minister|governor|official|adviser|"
    r"advisor|analyst|expert|editor|editor-in-chief|correspondent|blogger|general|colonel|president|"
    r"deputy|mayor|representative|officer|director|leader|founder|secretary|ombudsman|member)\b",
    re.I,
)


@dataclass(frozen=True, slots=True)
class Speaker:
    name: str
    side: Side
    kind: str  # person | body | group | outlet | narrator
    key: str = ""  # canonical key for back-references


@dataclass(frozen=True, slots=True)
class SpeechAct:
    speaker: Speaker
    cue: str
    cue_start: int
    cue_end: int
    scope_start: int
    scope_end: int


NARRATOR = Speaker("narrator", "UNKNOWN", "narrator", "narrator")


class Attributor:
    """Finds speech acts in a document (see module docstring)."""

    def __init__(self, lexicon: Lexicon, actors: ActorIndex) -> None:
        self.lx = lexicon
        self.actors = actors

    # ---- outlet -------------------------------------------------------------
    def outlet(self, text: str, body_start: int, given: str | None, url: str | None,
               actor_hits: Sequence[tuple[int, int, Actor]] | None = None) -> Speaker | None:
        """The outlet speaking in its own voice: given, from the URL, or from a dateline/byline.
        ``actor_hits`` are the actors found in ``text`` already (``ActorIndex.find``), if any."""
        if given:
            actor = self.actors.get(given)
            return Speaker(given, actor.side if actor else "UNKNOWN", "outlet", given)
        actor = self.actors.by_url(url)
        if actor:
            return Speaker(actor.name, actor.side, "outlet", actor.name)
        head = text[body_start : body_start + 500]
        tail_start = max(body_start, len(text) - 400)
        for chunk in (head, text[tail_start:]):
            for s, e, a in self.actors.find(chunk):
                if a.kind not in ("media", "state_media", "wire"):
                    continue
                before = chunk[max(0, s - 12) : s]
                after = chunk[e : e + 14]
                if (re.search(r"(?:[(/]\s*(?:MENAFN-\s*)?|\b[Bb]y\s+|[Ff]ollow\s+)$", before)
                        or re.match(r"\s*(?:/|\)\s*[-–—]|\s*reports\b|\s+news desk|\s*[-–—]\s)", after)
                        or re.match(r"['’]s\s+[A-Z][a-z]+\s+[A-Z][a-z]+", chunk[e:e + 40])):
                    return Speaker(a.name, a.side, "outlet", a.name)
        # weaker: the one outlet that interviewees talk to ("told The Associated Press") or that
        # credits the pictures ("(Source: Reuters)") -- the outlet's own reporting
        if actor_hits is None:
            actor_hits = self.actors.find(text, body_start)
        found = {a.name: a for s, _e, a in actor_hits
                 if s >= body_start and a.kind in ("media", "state_media", "wire")
                 and _OWN_REPORTING.search(text, max(body_start, s - 30), s)}
        if len(found) == 1:
            a = next(iter(found.values()))
            return Speaker(a.name, a.side, "outlet", a.name)
        return None

    # ---- speakers -----------------------------------------------------------
    def _side_of_context(self, context: str) -> Side | None:
        for _s, _e, a in self.actors.find(context):
            if a.kind not in ("media", "state_media", "wire") and a.side in ("RU", "UA", "OTHER"):
                return a.side
        hits = []
        for side, pat in self.lx.nationality.items():
            m = pat.search(context)
            if m:
                hits.append((m.start(), side))
        if hits:
            return min(hits)[1]  # type: ignore[return-value]
        return None

    def people(self, text: str, sentences: Sequence[Sentence], blocked: list[tuple[int, int]]
               ) -> list[tuple[int, int, Speaker]]:
        """Person names with the side their title, apposition or affiliation gives them."""
        out: list[tuple[int, int, Speaker]] = []
        profiles: dict[str, Speaker] = {}
        blocked_index = SpanIndex(blocked)

        def is_blocked(s: int, e: int) -> bool:
            return any(a < e and s < b for a, b in blocked_index.within(s - 200, e))
        for sent in sentences:
            for m in _PERSON.finditer(text, sent.start, sent.end):
                s, e = m.start(), m.end()
                words = m.group(0).split()
                while words and words[0] in _NOT_NAME:
                    s += len(words[0]) + 1
                    words = words[1:]
                while words and words[-1] in _NOT_NAME:
                    e -= len(words[-1]) + 1
                    words = words[:-1]
                if len(words) < 2 or is_blocked(s, e) or any(w in _UNIT_WORDS for w in words):
                    continue
                name = text[s:e]
                if name in profiles:
                    out.append((s, e, profiles[name]))
                    continue
                known = self.actors.get(name)
                side: Side | None = known.side if known else None
                if side is None:
                    title = text[max(sent.start, s - 60) : s]
                    title = re.split(r"[.;:!?\"“”]|,\s(?![a-z])", title)[-1]
                    appo = _APPOSITIVE_START.match(text, e, sent.end)
                    appo_text = ""
                    if appo:
                        comma = text.find(",", appo.end(), sent.end)
                        appo_text = text[e : comma if comma != -1 else min(sent.end, e + 120)]
                    side = self._side_of_context(title) or self._side_of_context(appo_text)
                    if side is None:
                        told = re.search(r"\b(?:told|to)\s+((?:the\s+)?[A-Z][\w-]+(?:\s+[A-Z][\w-]+)*)",
                                         text[e : sent.end])
                        if told:
                            actor = self.actors.get(told.group(1)) or self.actors.get(
                                re.sub(r"^the\s+", "", told.group(1)))
                            if actor and actor.side in ("RU", "UA"):
                                side = actor.side
                    if side is None:
                        side = self._side_of_context(sent.text)
                spk = Speaker(known.name if known else name, side or "UNKNOWN", "person",
                              known.name if known else name)
                profiles[name] = spk
                surname = words[-1]
                profiles.setdefault(surname, spk)
                out.append((s, e, spk))
        # later mentions by surname alone
        surnames = [n for n in profiles if " " not in n]
        if surnames:
            found = SpanIndex(list(out))
            pat = re.compile(r"\b(?:" + "|".join(map(re.escape, sorted(surnames, key=len, reverse=True)))
                             + r")\b")
            for m in pat.finditer(text):
                if not found.covering(m.start()) and not is_blocked(m.start(), m.end()):
                    out.append((m.start(), m.end(), profiles[m.group(0)]))
        return sorted(out, key=lambda x: x[0])

    def candidates(self, text: str, sentences: Sequence[Sentence], places: Sequence[PlaceMention]
                   ) -> list[tuple[int, int, Speaker]]:
        """Every phrase in the text that could be a speaker, in text order, without overlaps."""
        found: list[tuple[int, int, Speaker]] = []
        for s, e, a in self.actors.find(text):
            found.append((s, e, _actor_speaker(a, text[s:e])))
        blocked = [(s, e) for s, e, _ in found] + [(p.start, p.end) for p in places]
        found += self.people(text, sentences, blocked)
        taken = SpanIndex([(s, e) for s, e, _ in found])
        for m in _GROUP_NP.finditer(text):
            if any(a < m.end() and m.start() < b for a, b in taken.within(m.start() - 200, m.end())):
                # a group phrase that contains a named actor: keep the actor
                continue
            phrase = m.group(0)
            side = self._side_of_context(phrase) or "UNKNOWN"
            if re.fullmatch(r"(?:Moscow|the\s+Kremlin|Russia)", phrase):
                side = "RU"
            elif re.fullmatch(r"(?:Kyiv|Kiev|Ukraine)", phrase):
                side = "UA"
            start = m.start()
            lead = re.match(r"(?:(?:where|which|that|when|as|and|but|while|after|before|said|"
                            r"whom|if|because|so|then|also|now|however|although)\s+)+", phrase, re.I)
            if lead:
                start += lead.end()
                phrase = phrase[lead.end():]
            name = re.sub(r"^(?:[Tt]he|[Ss]ome)\s+", "", phrase)
            found.append((start, m.end(), Speaker(name, side, "group", name.lower())))
        # "the commander of Ukraine's Tavria group": a person named by role, with the body's side
        by_start = {s: (s, e, spk) for s, e, spk in found}
        for m in _ROLE_OF.finditer(text):
            head = by_start.get(m.end())
            if head is None or head[2].kind == "person":
                continue
            name = re.sub(r"^[Tt]he\s+", "", m.group(0)) + text[head[0]:head[1]]
            found = [c for c in found if c is not head]
            found.append((m.start(), head[1], Speaker(name, head[2].side, "person", name)))
        taken = SpanIndex([(s, e) for s, e, _ in found])
        for m in _BARE_GROUP.finditer(text):
            if any(a < m.end() and m.start() < b for a, b in taken.within(m.start() - 200, m.end())):
                continue
            post = re.match(r"\s+(?:in|of|from|close to|linked to|within)\s+[^,.;]{3,60}", text[m.end():])
            side = self._side_of_context(post.group(0)) if post else None
            if post and side:
                name = m.group(0) + post.group(0)
                found.append((m.start(), m.end() + post.end(), Speaker(name, side, "group", name.lower())))
            else:
                found.append((m.start(), m.end(), Speaker(m.group(0), "UNKNOWN", "bare", m.group(0).lower())))
        return sorted(found, key=lambda x: x[0])

    # ---- speech acts --------------------------------------------------------
    def speech_acts(self, text: str, sentences: Sequence[Sentence],
                    places: Sequence[PlaceMention], quotes: Sequence[tuple[int, int]],
                    cands: list[tuple[int, int, Speaker]] | None = None,
                    ) -> list[SpeechAct]:
        if cands is None:
            cands = self.candidates(text, sentences, places)
        self._all = cands
        acts: list[SpeechAct] = []
        last_person: Speaker | None = None
        last_body: Speaker | None = None
        history: list[Speaker] = []
        mentioned: list[Speaker] = []  # bodies named without speaking, for "the ministry said"
        self._mentioned = mentioned
        prev_sent: Sentence | None = None
        cand_index = SpanIndex(cands)
        quote_index = SpanIndex(quotes)
        for sent in sentences:
            sent_acts: list[SpeechAct] = []
            in_sent = [c for c in cand_index.within(sent.start, sent.end) if c[1] <= sent.end]
            cues = [m for m in self.lx.cue.finditer(text, sent.start, sent.end)
                    if not _inside(m.start(), quote_index)]
            for m in cues:
                spk, subj_start, subj_end, inverted = self._subject(
                    text, sent, m, in_sent, sent_acts, last_person, last_body, history)
                if spk is None:
                    continue
                sent_acts.append(self._act(text, sent, m, spk, subj_start, subj_end, inverted,
                                           quotes))
            for m in self.lx.source.finditer(text, sent.start, sent.end):
                if _inside(m.start(), quote_index):
                    continue
                rr = _ROLE_REF.match(text, m.end() + 1)
                nxt = [c for c in in_sent if c[0] >= m.end() and re.fullmatch(
                    r"\s*(?:(?:an?|the|some|one\s+of\s+the|data\s+from|a\s+report\s+(?:by|from))\s+)?",
                    text[m.end() : c[0]], re.I)]
                if rr and not (nxt and nxt[0][0] < rr.end()):
                    ref = _resolve_role(rr.group(1).lower(), history + self._mentioned, last_person,
                                        last_body)
                    if ref is None:
                        continue
                    nxt = [(rr.start(), rr.end(), ref)]
                if not nxt:
                    continue
                s, e, spk = nxt[0]
                for c in in_sent:  # "monitoring group DeepState": the name, not the description
                    if c[0] >= e and re.fullmatch(r"\s*", text[e : c[0]]):
                        s, e, spk = c
                spk = self._resolve_bare(spk, history)
                scope = (e, sent.end) if m.group(0).lower() == "citing" else (sent.start, sent.end)
                sent_acts.append(SpeechAct(spk, m.group(0), m.start(), e, *scope))
            sent_acts.extend(self._headline(text, sent, in_sent))
            back = re.match(r"(?:This|That|It|The\s+information)\s+(?:is|was|has\s+been)\s+"
                            r"(?:according\s+to|(?:reported|stated|said|announced|confirmed)\s+by)\s+",
                            sent.text)
            if back and prev_sent is not None:
                first = [c for c in in_sent if c[0] >= sent.start + back.end()]
                if first:
                    spk = self._resolve_bare(first[0][2], [c[2] for c in self._all])
                    sent_acts.append(SpeechAct(spk, "retro", first[0][0], first[0][1],
                                               prev_sent.start, prev_sent.end))
            prev_sent = sent
            for a in sent_acts:
                history.append(a.speaker)
                if a.speaker.kind == "person":
                    last_person = a.speaker
                elif a.speaker.kind in ("body", "group"):
                    last_body = a.speaker
            # "he"/"she" later refers to this sentence's speaking person if it has one (the
            # subject), else to the person it names last
            speaking = any(a.speaker.kind == "person" for a in sent_acts)
            for c in in_sent:
                if c[2].kind == "person":
                    if not speaking:
                        last_person = c[2]
                elif c[2].kind in ("body", "group", "outlet") and c[2] not in history:
                    mentioned.append(c[2])
            acts.extend(sent_acts)
        return acts + self._source_lines(text, sentences, cands)

    def _resolve_bare(self, spk: Speaker, history: Sequence[Speaker]) -> Speaker:
        """"Bloggers", "officials": the fuller group named before ("Russian military bloggers")."""
        if spk.kind != "bare":
            return spk
        words = [w for w in spk.name.lower().split() if w not in ("briefing", "mil", "military")]
        noun = words[-1] if words else spk.name.lower()
        for h in reversed(history):
            if h.kind != "bare" and noun in h.name.lower():
                return h
        for _s, _e, h in getattr(self, "_all", ()):
            if h.kind != "bare" and noun in h.name.lower():
                return h
        return spk

    def _source_lines(self, text: str, sentences: Sequence[Sentence],
                      cands: list[tuple[int, int, Speaker]]) -> list[SpeechAct]:
        """"Source: X" lines (a common news layout): X speaks until the next "Background:" line."""
        acts = []
        for sent in sentences:
            m = re.match(r"Sources?:\s*", sent.text)
            if not m:
                continue
            first = [c for c in cands if sent.start + m.end() <= c[0] < sent.end]
            if not first:
                continue
            end = text.find("\nBackground:", sent.end)
            end = len(text) if end == -1 else end
            s, e, spk = first[0]
            acts.append(SpeechAct(spk, "source", s, e, sent.end, end))
        return acts

    def _headline(self, text: str, sent: Sentence, in_sent: list[tuple[int, int, Speaker]]
                  ) -> list[SpeechAct]:
        """A headline that ends in its source: "Russians seized Sudzha - ISW"."""
        if len(sent.text) > 160 or "\n" in sent.text:
            return []
        m = re.search(r"(?::|\s[-–—])\s*([^:–—-]{2,60})$", sent.text)
        if not m:
            return []
        tail_start = sent.start + m.start(1)
        for s, e, spk in in_sent:
            if s >= tail_start and e == sent.end:
                if spk.kind == "bare":
                    spk = self._resolve_bare(spk, [c[2] for c in reversed(self._all)])
                return [SpeechAct(spk, "headline", s, e, sent.start, sent.start + m.start())]
        return []

    def _subject(self, text, sent, cue, in_sent, sent_acts, last_person, last_body, history):
        c0 = cue.start()
        prev_end = max([a.cue_end for a in sent_acts] + [sent.start])
        # inverted attribution after a clause or quote: '..., said Name' / '," said Name'
        after = [c for c in in_sent if c[0] >= cue.end() and c[0] - cue.end() <= 2]
        if after and re.search(r"[,\"”’]\s*$", text[max(sent.start, c0 - 3):c0]) \
                and not cue.group(0).lower().startswith("told"):
            s, e, spk = after[0]
            rest = text[e:sent.end]
            if re.fullmatch(r"[\s.!?\"”’)]*", rest) or re.match(r"\s*,", rest):
                return self._resolve_bare(spk, history), s, e, True
        window = [c for c in in_sent if prev_end <= c[0] and c[1] <= c0]
        # appositive: "Name, spokesman for X, said" -> Name
        chosen = None
        for s, e, spk in reversed(window):
            between = text[e:c0]
            if _ADVERBIAL.match(between) or _PARTICIPLE.match(between):
                chosen = (s, e, spk)
                break
            appo = re.match(r"^\s*,(.{3,160}?),\s*(?:\w+\s+){0,2}$", between)
            if appo and _APPOSITIVE_START.match(between):
                chosen = (s, e, spk)
                break
        if chosen is not None:
            # a name inside an appositive is not the subject; keep looking left
            s, e, spk = chosen
            before = text[prev_end:s]
            head = [c for c in window if c[1] <= s]
            if head and re.search(r",\s*(?:the\s+|a\s+)?(?:[\w'’-]+\s+){0,5}(?:for|of|at|in)\s+(?:the\s+)?$",
                                  before):
                hs, he, hspk = head[-1]
                if _APPOSITIVE_START.match(text[he:s] + " x"):
                    chosen = head[-1]
            elif head and spk.kind != "person" and head[-1][2].kind == "person" \
                    and re.fullmatch(r"\s*,\s*", text[head[-1][1]:s]):
                chosen = head[-1]  # "Name, a Ukrainian army spokeswoman, said": the person
            return self._resolve_bare(chosen[2], history), chosen[0], chosen[1], False
        # pronouns and role references right before the cue
        pre = text[prev_end:c0]
        m = _last(_ROLE_REF.finditer(pre))
        if m and _ADVERBIAL.match(pre[m.end():]):
            word = m.group(1).lower()
            ref = _resolve_role(word, history + self._mentioned, last_person, last_body)
            if ref:
                return ref, prev_end + m.start(), prev_end + m.end(), False
        pm = _last(_PRONOUN.finditer(pre))
        if pm and _ADVERBIAL.match(pre[pm.end():]):
            w = pm.group(0).lower()
            ref = last_person if w in ("he", "she") else (last_body or (history[-1] if history else None))
            if ref:
                return ref, prev_end + pm.start(), prev_end + pm.end(), False
        # inverted: ', said Name' / '," Name said' handled above; 'said Name'
        after = [c for c in in_sent if c[0] >= cue.end() and c[0] - cue.end() <= 2]
        if after and re.search(r"[,\"”’]\s*$", text[max(sent.start, c0 - 3):c0]):
            s, e, spk = after[0]
            return spk, s, e, True
        # coordinated verb: "X said ... and reported ..."
        tail = text[prev_end:c0][-20:]
        if sent_acts and re.fullmatch(r"\s*(?:and|but)\s+(?:\w+ly\s+)?", tail) is not None:
            last = sent_acts[-1]
            return last.speaker, c0, c0, False
        if sent_acts and re.search(r"\band\s+(?:\w+ly\s+)?$", pre) and not window:
            last = sent_acts[-1]
            return last.speaker, c0, c0, False
        return None, 0, 0, False

    def _act(self, text, sent, cue, spk, subj_start, subj_end, inverted, quotes) -> SpeechAct:
        if subj_start == cue.start():  # coordinated verb sharing an earlier subject
            return SpeechAct(spk, cue.group(0), cue.start(), cue.end(), cue.start(), sent.end)
        after = text[cue.end() : sent.end]
        cut = re.search(r",\s+(?:as|while|but|and|after|amid|when|even\s+as|adding|saying|noting|"
                        r"according)\b|;|\s[—–]\s", after)
        if cut:
            after = after[: cut.start()]
        rest = re.sub(r"\s+(?:to|on|in|at|by|from|via|with|told|during|citing)\s+(?:[\w'’-]+\s*){1,4}?"
                      r"(?=[,.;:!?\"”)]|$)", " ", after)
        rest = re.sub(r"\b(?:\w+day|today|yesterday|earlier|later|also|late|evening|morning|night|"
                      r"reporters|journalists)\b|[^\w\s]", " ", rest, flags=re.I)
        short_after = (len(rest.split()) <= 1 and not re.match(r"\s*(?:on\s+\w+\s+)?that\b", after)) \
            or re.match(r"\s*,\s*(?:adding|noting)\b", after)
        content_before = subj_start - sent.start > 12 or _ends_quote(text, sent.start, subj_start)
        if inverted or (short_after and content_before):
            return SpeechAct(spk, cue.group(0), cue.start(), cue.end(), sent.start,
                             min(subj_start, cue.start()))
        return SpeechAct(spk, cue.group(0), cue.start(), cue.end(), cue.start(), sent.end)


def _last(matches):
    last = None
    for last in matches:  # noqa: B007
        pass
    return last


def _ends_quote(text: str, start: int, end: int) -> bool:
    return bool(re.search(r"[\"”’]\s*,?\s*$", text[start:end]))


def _inside(pos: int, spans: SpanIndex) -> bool:
    return any(a < pos < b for a, b in spans.covering(pos))


def _actor_speaker(actor: Actor, surface: str) -> Speaker:
    kind = "person" if actor.kind in ("official", "military") and " " in actor.name and \
        actor.name.split()[0][0].isupper() and not any(
            w in actor.name for w in ("Ministry", "Staff", "Directorate", "group", "Group", "Kremlin",
                                      "Wagner", "Pentagon", "NATO", "Defence", "Khortytsia", "Tavria")
        ) else ("outlet" if actor.kind in ("media", "state_media", "wire") else "body")
    name = re.sub(r"^the\s+", "", surface)
    if kind == "person":
        name = actor.name
    return Speaker(name, actor.side, kind, actor.name)


def _resolve_role(word: str, history: list[Speaker], last_person: Speaker | None,
                  last_body: Speaker | None) -> Speaker | None:
    for spk in reversed(history):
        if word.split()[0] in spk.name.lower():
            return spk
    if word in ("official", "spokesman", "spokeswoman", "spokesperson", "governor", "commander",
                "president", "minister", "analyst", "expert"):
        return last_person
    return last_body or (history[-1] if history else None)
