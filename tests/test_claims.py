"""Sentences -> claims: every status, both sides, denials, shares, quotes, spellings.

Each row is a short report written for this table (not taken from any article), with the
claims a careful analyst would extract: (claimant side, place, status, controller, percent).
"""

from __future__ import annotations

import pytest

from counterclaim import Pipeline


@pytest.fixture(scope="module")
def pipeline() -> Pipeline:
    return Pipeline()


def keys(analysis):
    return {(c.claimant_side, c.place.name, c.status, c.controller, c.percent) for c in analysis.claims}


CASES = [
    # controls, state media voice, Russian spelling
    ("date: 2025-03-04\nMOSCOW, March 4. /TASS/. Russian troops have fully liberated Myrnograd, "
     "the Russian Defence Ministry said on Tuesday.",
     {("RU", "Myrnohrad", "controls", "RU", None)}),
    # controls by Ukraine, remains under control, spokesperson's appositive gives the side
    ("date: 2025-03-04\nPokrovsk remains under the control of the Armed Forces of Ukraine, "
     "said Ivan Petrenko, a spokesman for the Ukrainian army's eastern group.",
     {("UA", "Pokrovsk", "controls", "UA", None)}),
    # partial with a percentage
    ("date: 2025-05-02\nAccording to Valery Gerasimov, Russian forces now hold more than 70% of Siversk.",
     {("RU", "Siversk", "partial", "RU", 70.0)}),
    # partial with a fraction word
    ("date: 2025-05-02\nThe Institute for the Study of War said Russian forces control about half of "
     "Toretsk.",
     {("OTHER", "Toretsk", "partial", "RU", 50.0)}),
    # denial with negated statement and share
    ("date: 2025-05-02\nUntrue are the statements that 60% of Vovchansk has been captured, the "
     "Ukrainian General Staff said.",
     {("UA", "Vovchansk", "denies", "RU", 60.0)}),
    # denial of the other side's claim, with the place named in the denied claim
    ("date: 2025-05-02\nUkraine's military denied Moscow's claim that Russian forces had captured "
     "Kostiantynivka.",
     {("UA", "Kostiantynivka", "denies", "RU", None)}),
    # fighting, bulletin voice, list of villages
    ("date: 2025-05-02\nThe General Staff of Ukraine's armed forces said its units repelled attacks "
     "near Novopavlivka, Kotlyne and Udachne.",
     {("UA", "Novopavlivka", "fighting", None, None), ("UA", "Udachne", "fighting", None, None)}),
    # encircled: the encircled side is the one named after the participle
    ("date: 2025-05-02\nPro-Russian war bloggers claimed that Ukrainian units in Kupyansk were "
     "encircled.",
     {("RU", "Kupiansk", "encircled", "RU", None)}),
    # withdrew, Ukrainian command, Ukrainian spelling
    ("date: 2024-02-17\nThe commander of Ukraine's Tavria group said Ukrainian troops had withdrawn "
     "from Avdiivka to save lives.",
     {("UA", "Avdiivka", "withdrew", "UA", None)}),
    # wire agency in its own voice, outlet from the dateline
    ("date: 2024-10-29\nKYIV (Reuters) - Russian forces have captured the town of Selydove, "
     "Reuters reported.",
     {("OTHER", "Selydove", "controls", "RU", None)}),
    # multi-sentence quote attributed after it, "our" takes the speaker's side
    ('date: 2025-01-10\n"The situation in Chasiv Yar is difficult. Our units still hold the western '
     'part of the town," said Nazar Voloshyn, a spokesman for Ukraine\'s Khortytsia group.',
     {("UA", "Chasiv Yar", "partial", "UA", None)}),
    # "pulled back" is a withdrawal; the clause after "said Thursday, as ..." is not the speaker's
    ("date: 2025-06-12\nUkrainian forces have pulled back from the village of Zelene Pole to avoid "
     "encirclement, a Ukrainian military spokesman said Thursday, as Moscow claimed new gains.",
     {("UA", "Zelene Pole", "withdrew", "UA", None)}),
    # a unit named in title case speaks for its side; a list after "near" continues
    ("date: 2025-09-02\nUkraine's Joint Forces Task Force said its units had repelled 14 assaults "
     "near Holubivka, Kindrashivka and Radkivka.",
     {("UA", "Holubivka", "fighting", None, None), ("UA", "Radkivka", "fighting", None, None)}),
    # "the city" refers back within the same sentence; a share with a control verb is partial
    ("date: 2025-09-02\nThe ISW said Russian forces advanced into central Kupiansk, but assessed that "
     "Ukrainian forces still hold most of the city.",
     {("OTHER", "Kupiansk", "partial", "RU", None), ("OTHER", "Kupiansk", "partial", "UA", None)}),
    # a speaker named by role and unit, with a relative clause before the verb
    ("date: 2024-02-16\nSoldiers of Ukraine's 47th brigade, which is deployed near Avdiivka, called "
     "the situation in the town critical.",
     {("UA", "Avdiivka", "fighting", None, None)}),
    # a reported encirclement that "does not correspond to reality" is a denial
    ("date: 2025-03-04\nReports by the aggressor of the encirclement of Myrnohrad do not correspond "
     "to reality, the General Staff of Ukraine's armed forces said.",
     {("UA", "Myrnohrad", "denies", "RU", None)}),
    # "continue to control" is control; the denial after ", and" is a claim of its own
    ("date: 2025-03-06\nUkrainian forces continue to control Kupiansk, and Russian claims of its "
     "capture are false, the General Staff of Ukraine's armed forces said.",
     {("UA", "Kupiansk", "controls", "UA", None), ("UA", "Kupiansk", "denies", "RU", None)}),
    # later reference: "the ministry said" resolved to the body named before
    ("date: 2025-01-10\nRussia's Defence Ministry published a video from Lyman. Its forces captured "
     "the town of Lyman, the ministry said.",
     {("RU", "Lyman", "controls", "RU", None)}),
    # an attributive description of control is the reporter's, even inside reported speech
    ("date: 2025-02-11\noutlet: Reuters\nRussia's Defence Ministry said its forces had taken Dachne, "
     "a village near the Ukrainian-held town of Kurakhove.",
     {("RU", "Dachne", "controls", "RU", None), ("OTHER", "Kurakhove", "controls", "UA", None)}),
    # a relative clause is about the place it follows, not an earlier one
    ("date: 2025-02-11\noutlet: Reuters\nHorlivka lies near a highway linking Crimea, the peninsula "
     "which Russia annexed in 2014, to the north.",
     {("OTHER", "Crimea", "controls", "RU", None)}),
    ("date: 2025-02-11\noutlet: Reuters\nUkrainian units pulled back from Toretsk, which is now "
     "controlled by Russian forces, to positions north of Kostiantynivka.",
     {("OTHER", "Toretsk", "controls", "RU", None), ("OTHER", "Toretsk", "withdrew", "UA", None)}),
    ("date: 2025-02-11\noutlet: TASS\nUkrainian troops are retreating from their positions near "
     "Toretsk in the Kiev-controlled part of the Donetsk People's Republic, a Ukrainian commander said.",
     {("RU", "Donetsk Oblast", "partial", "UA", None)}),
]


@pytest.mark.parametrize(("text", "expected"), CASES, ids=[c[0][17:60] for c in CASES])
def test_extracts_expected_claims(pipeline, text, expected):
    got = keys(pipeline.analyze(text))
    assert expected <= got, f"missing {expected - got}; got {got}"


NOT_CLAIMS = [
    # intent is fighting, not control
    ("date: 2025-01-10\nRussian forces are trying to capture Pokrovsk, the General Staff said.",
     ("UA", "Pokrovsk", "controls", "RU", None)),
    # a conditional is not a claim of control
    ("date: 2025-01-10\nIf Russian troops take Kostiantynivka, they will threaten Kramatorsk, an "
     "analyst said.",
     ("OTHER", "Kostiantynivka", "controls", "RU", None)),
    # an unconfirmed report is not the narrator's claim
    ("date: 2025-01-10\nReuters could not confirm the capture of Toretsk.",
     ("OTHER", "Toretsk", "controls", "RU", None)),
    # a hedged encirclement
    ("date: 2025-01-10\nThe spokesman warned of the risk of encirclement near Pokrovsk.",
     ("UNKNOWN", "Pokrovsk", "encircled", "RU", None)),
    # ... and not about a place inside a prepositional phrase before it
    ("date: 2025-02-11\noutlet: Reuters\nThe plant was the last one in the Donetsk region that "
     "remained under Ukrainian control.",
     ("OTHER", "Donetsk Oblast", "controls", "UA", None)),
    ("date: 2025-02-11\noutlet: Reuters\nHorlivka lies near a highway linking Crimea, the peninsula "
     "which Russia annexed in 2014, to the north.",
     ("OTHER", "Horlivka", "controls", "RU", None)),
    ("date: 2025-02-11\noutlet: Reuters\nUkrainian units pulled back from Toretsk, which is now "
     "controlled by Russian forces, to positions north of Kostiantynivka.",
     ("OTHER", "Kostiantynivka", "controls", "RU", None)),
    # "took" is a capture only with a place right after it
    ("date: 2025-01-10\nSoldiers who took part in the battles near Pokrovsk were decorated, the "
     "General Staff said.",
     ("UA", "Pokrovsk", "controls", "UA", None)),
    # in a direct quotation the description is the speaker's, not the outlet's
    ("date: 2025-02-11\noutlet: Reuters\n\"Our units are holding the line outside Russian-occupied "
     "Horlivka,\" the brigade's spokesman said.",
     ("OTHER", "Horlivka", "controls", "RU", None)),
]


@pytest.mark.parametrize(("text", "claim"), NOT_CLAIMS, ids=[c[0][17:60] for c in NOT_CLAIMS])
def test_does_not_overclaim(pipeline, text, claim):
    assert claim not in keys(pipeline.analyze(text))


def test_intent_becomes_fighting(pipeline):
    a = pipeline.analyze("date: 2025-01-10\nRussian forces are trying to capture Pokrovsk, "
                         "the General Staff of Ukraine's armed forces said.")
    assert ("UA", "Pokrovsk", "fighting", None, None) in keys(a)


def test_evidence_is_an_exact_span(pipeline):
    text = "date: 2025-01-10\nRussian forces captured Vuhledar on Tuesday, the ministry said."
    for c in pipeline.analyze(text).claims:
        assert text[c.evidence.start : c.evidence.end] == c.evidence.text
        assert c.extractor and c.extractor_version and 0 < c.confidence <= 1


def test_dates_on_claims(pipeline):
    a = pipeline.analyze("date: 2025-02-08\nRussia's Defence Ministry said on Friday that its "
                         "forces had taken control of Toretsk.")
    (claim,) = [c for c in a.claims if c.status == "controls"]
    assert (claim.date, claim.date_precision) == ("2025-02-07", "day")
