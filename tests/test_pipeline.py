"""Invariants of the analysis on any text: it never fails, and every row it returns is
traceable to the words of the source (property-based, with hypothesis)."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from counterclaim import Pipeline
from counterclaim.models import SIDES, STATUSES

WORDS = [
    "Russian", "Ukrainian", "forces", "troops", "captured", "liberated", "denied", "said", "claimed",
    "according", "to", "the", "ministry", "General", "Staff", "of", "Pokrovsk", "Kupyansk", "Kupiansk",
    "Toretsk", "Donetsk", "region", "Oblast", "withdrew", "from", "encircled", "fighting", "near", "in",
    "80%", "half", "most", "on", "Friday", "November", "20", "2024", "not", "true", "\"", "“", "”", ",",
    ".", "\n", "\n\n", "he", "added", "city", "town", "village", "Avdiivka", "Vovchansk", "Volchansk",
    "'s", "’s", "(", ")", "-", "—", ":", "Reuters", "TASS", "ISW", "Syrsky", "Gerasimov", "Kyiv",
    "Moscow", "date:", "2025-03-04", "outlet:", "и", "в", "Куп'янськ", "Купянск", "🙂", "\x00",
]


@pytest.fixture(scope="module")
def pipeline():
    return Pipeline()


def check(analysis, text):
    for m in analysis.places:
        assert 0 <= m.start < m.end <= len(text)
        assert text[m.start : m.end] == m.surface
    for c in analysis.claims:
        assert text[c.evidence.start : c.evidence.end] == c.evidence.text
        assert c.status in STATUSES and c.claimant_side in SIDES
        assert (c.controller is None) == (c.status == "fighting")
        assert c.controller in (None, "RU", "UA")
        assert 0.0 < c.confidence <= 1.0
        assert c.percent is None or 0 <= c.percent <= 100


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from(WORDS), max_size=120).map(" ".join))
def test_any_news_like_text(pipeline, text):
    check(pipeline.analyze(text), text)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=400))
def test_any_unicode_text(pipeline, text):
    check(pipeline.analyze(text), text)


@pytest.mark.parametrize(
    "text",
    ["", " ", "\n\n\n", "“", '"' * 50, "(" * 200, "Kupyansk" * 500, "a. " * 2000,
     "date: 2025-13-45\nBroken header date.", "Russian forces captured " + "Pokrovsk, " * 300],
)
def test_edge_cases(pipeline, text):
    check(pipeline.analyze(text), text)
