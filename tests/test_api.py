"""The public API changes only on purpose."""

import counterclaim


def test_exported_members():
    assert sorted(counterclaim.__all__) == [
        "Actor",
        "Analysis",
        "Claim",
        "CounterclaimError",
        "DataFileError",
        "Document",
        "Gazetteer",
        "GazetteerError",
        "InputError",
        "Pipeline",
        "Place",
        "PlaceMention",
        "Span",
        "__version__",
        "analyze",
        "evaluate",
        "read_document",
    ]


def test_every_exported_member_exists():
    for name in counterclaim.__all__:
        assert hasattr(counterclaim, name), name


def test_errors_share_one_base():
    assert issubclass(counterclaim.InputError, counterclaim.CounterclaimError)
    assert issubclass(counterclaim.GazetteerError, counterclaim.CounterclaimError)


def test_analyze_returns_an_analysis():
    a = counterclaim.analyze("date: 2025-03-03\nFighting continued near Kupiansk, the General Staff said.")
    assert isinstance(a, counterclaim.Analysis)
    assert a.document.published.isoformat() == "2025-03-03"
    for c in a.claims:
        assert a.document.text[c.evidence.start:c.evidence.end] == c.evidence.text
