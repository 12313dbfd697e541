"""Who says what: cue verbs, 'according to', quotes, appositions and back-references."""

from __future__ import annotations

import pytest

from counterclaim.actors import default_actors
from counterclaim.attribution import Attributor
from counterclaim.lexicon import default_lexicon
from counterclaim.text import quote_spans, sentences


def speaker_of(text: str, phrase: str):
    att = Attributor(default_lexicon(), default_actors())
    sents = sentences(text)
    quotes = quote_spans(text)
    acts = att.speech_acts(text, sents, [], quotes)
    pos = text.index(phrase)
    for q in quotes:
        if q[0] < pos < q[1]:
            near = [a for a in acts if 0 <= a.cue_start - q[1] <= 45]
            if near:
                return near[0].speaker
    covering = [a for a in acts if a.scope_start <= pos < a.scope_end]
    if not covering:
        return None
    return min(covering, key=lambda a: a.scope_end - a.scope_start).speaker


@pytest.mark.parametrize(
    ("text", "phrase", "name", "side"),
    [
        ("Russia's Defence Ministry said on Friday that its forces took the town.",
         "its forces", "Defence Ministry", "RU"),
        ("The town was taken, the Ukrainian General Staff said.", "taken", "General Staff", "UA"),
        ("According to the Institute for the Study of War, Russian troops advanced.",
         "advanced", "Institute for the Study of War", "OTHER"),
        ("Ukrainian deputy defence minister Olena Kravets said fighting continued.",
         "fighting", "Olena Kravets", "UA"),
        ("Pavel Sokolov, a spokesman for Russia's Zapad group, told reporters the village fell.",
         "village", "Pavel Sokolov", "RU"),
        ('"Our units hold the line," said Taras Melnyk, a spokesman for Ukraine\'s 3rd Corps.',
         "Our units", "Taras Melnyk", "UA"),
        ("Ukrainian officials denied that the town had fallen.", "fallen", "Ukrainian officials", "UA"),
        ("Pro-Russian war bloggers claimed the flag was raised.", "flag", "Pro-Russian war bloggers",
         "RU"),
        ("The Washington Post reported, citing the Ukrainian military, that troops pulled out.",
         "pulled out", "Ukrainian military", "UA"),
        ("Denis Pushilin visited the front. He said the town was liberated.", "liberated",
         "Denis Pushilin", "RU"),
        ("Troops left the village overnight. This was reported by the Ukrainian General Staff.",
         "left the village", "General Staff", "UA"),
        # "he" is the last sentence's speaking subject, not a person it merely mentions
        ('Olena Kravets, a Ukrainian army spokeswoman, told reporters that Pavel Sokolov was lying.\n\n'
         '"Our units hold the town," she said.', "Our units", "Olena Kravets", "UA"),
    ],
)
def test_speaker(text, phrase, name, side):
    spk = speaker_of(text, phrase)
    assert spk is not None, "no speaker found"
    assert name.lower() in spk.name.lower()
    assert spk.side == side


def test_unattributed_text_has_no_speaker():
    assert speaker_of("Heavy fighting continued in the east.", "fighting") is None


@pytest.mark.parametrize(
    ("text", "outlet", "side"),
    [
        ("MOSCOW, February 16. /TASS/. The army advanced.", "TASS", "RU"),
        ("KYIV (Reuters) - Ukraine said on Monday.", "Reuters", "OTHER"),
        ("(MENAFN- UkrinForm) The army held the town.", "Ukrinform", "UA"),
        ("Nothing names the outlet here. The army advanced.", None, None),
        # interviewees talk to the outlet that reports; pictures are credited to it
        ("The army advanced. A commander told The Associated Press the line held.",
         "Associated Press", "OTHER"),
        ("The army advanced.\n\nSoldiers near the front. (Source: Reuters)\n\nThe line held.",
         "Reuters", "OTHER"),
        # two such outlets: no guess
        ("A commander told Reuters the line held. A soldier told the Associated Press it did not.",
         None, None),
    ],
)
def test_outlet_from_dateline(text, outlet, side):
    att = Attributor(default_lexicon(), default_actors())
    got = att.outlet(text, 0, None, None)
    if outlet is None:
        assert got is None
    else:
        assert (got.name, got.side) == (outlet, side)


def test_outlet_from_url():
    att = Attributor(default_lexicon(), default_actors())
    assert att.outlet("Text.", 0, None, "https://www.kyivindependent.com/news/x").side == "UA"


def test_name_word_lists_load_as_words():
    from counterclaim.lexicon import name_words

    words = name_words()
    assert {"On", "Off", "With"} <= words["function_words"]  # not YAML booleans
    assert "Forces" in words["unit_words"] and "President" in words["not_name"]
    assert all(isinstance(w, str) for ws in words.values() for w in ws)
