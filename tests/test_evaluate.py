"""Scoring rules (the same figures as ../shared/eval/score.py)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from counterclaim.errors import InputError
from counterclaim.evaluate import (
    claim_key,
    evaluate,
    normalise,
    place_key,
    prf,
    same_claimant,
    same_date,
    score_dirs,
    score_pairs,
)

EVAL = Path(__file__).resolve().parent.parent.parent / "shared" / "eval"
SCORE_PY = EVAL / "score.py"


def claim(place="Kupiansk", status="controls", controller="RU", side="RU", claimant="Defence Ministry",
          date=None, geonameid=None):
    return {"claimant": claimant, "claimant_side": side, "place": place, "geonameid": geonameid,
            "status": status, "controller": controller, "date": date}


@pytest.mark.parametrize(
    "name, expected",
    [
        ("Kupiansk", "kupiansk"),
        ("Kup'yansk", "kupyansk"),
        ("Kup’yansk", "kupyansk"),
        ("Kupʼyansk", "kupyansk"),
        ("Kupiansk-Vuzlovyi", "kupiansk vuzlovyi"),
        ("  Zaporizhzhia  Oblast ", "zaporizhzhia oblast"),
        ("Hulyaypole", "hulyaypole"),
        ("Dnipró", "dnipro"),
        ("Куп'янськ", "купянськ"),
        (None, ""),
    ],
)
def test_normalise(name, expected):
    assert normalise(name) == expected


@pytest.mark.parametrize(
    "item, key",
    [
        ({"name": "Kupiansk", "geonameid": 703656}, ("id", 703656)),
        ({"name": "Kupyansk", "geonameid": 703656}, ("id", 703656)),
        ({"name": "Kucherivka", "geonameid": None}, ("name", "kucherivka")),
        ({"place": "Kup'iansk"}, ("name", "kupiansk")),
        ({"name": "Kharkiv Oblast", "geonameid": 0}, ("name", "kharkiv oblast")),
    ],
)
def test_place_key(item, key):
    assert place_key(item) == key


@pytest.mark.parametrize(
    "tp, npred, ngold, expected",
    [
        (0, 0, 0, (1.0, 1.0, 1.0)),
        (0, 0, 3, (0.0, 0.0, 0.0)),
        (0, 2, 0, (0.0, 1.0, 0.0)),
        (1, 2, 4, (0.5, 0.25, 1 / 3)),
        (3, 3, 3, (1.0, 1.0, 1.0)),
    ],
)
def test_prf(tp, npred, ngold, expected):
    assert prf(tp, npred, ngold) == pytest.approx(expected)


@pytest.mark.parametrize(
    "gold, pred, same",
    [
        ("Russian Defence Ministry", "Russian Defense Ministry", True),
        ("General Staff of the Armed Forces of Ukraine", "Ukraine's General Staff", True),
        ("Armed Forces of Ukraine", "Ukrainian military", False),
        ("the Armed Forces", "Armed Forces of Russia", False),  # only stop words shared
        ("Viktor Trehubov", "Trehubov", True),
        ("TASS", None, False),
    ],
)
def test_claimant_token_overlap(gold, pred, same):
    assert same_claimant({"claimant": gold}, {"claimant": pred}) is same


@pytest.mark.parametrize(
    "gold, pred, same",
    [
        ("2024-02-16", "2024-02-16", True),
        ("2024-02", "2024-02-16", True),
        ("2024-02-16", "2024", True),
        ("2024-02-16", "2024-02-17", False),
        (None, None, True),
        (None, "2024-02-16", False),
        ("2024-02-16", None, False),
    ],
)
def test_date_prefix_rule(gold, pred, same):
    assert same_date({"date": gold}, {"date": pred}) is same


def test_claim_key_ignores_claimant_name_and_date():
    a = claim(claimant="Shoigu", date="2024")
    b = claim(claimant="Gerasimov", date=None)
    assert claim_key(a) == claim_key(b)
    assert claim_key(a) != claim_key(claim(side="UA"))
    assert claim_key(a) != claim_key(claim(controller="UA"))
    assert claim_key(a) != claim_key(claim(status="partial"))


def test_figures_on_hand_made_articles():
    gold = {
        "places": [{"name": "Kupiansk", "geonameid": 703656}, {"name": "Kucherivka"},
                   {"name": "Kharkiv Oblast"}],
        "claims": [
            claim(place="Kupiansk", geonameid=703656, date="2025-03-03"),
            claim(place="Kucherivka", status="fighting", controller=None, side="UA",
                  claimant="General Staff"),
            claim(place="Kupiansk", geonameid=703656, status="denies", controller="RU", side="UA"),
        ],
    }
    pred = {
        "places": [{"name": "Kupyansk", "geonameid": 703656}, {"name": "Kucherivka", "geonameid": None},
                   {"name": "Lyman", "geonameid": 702972}],
        "claims": [
            claim(place="Kupyansk", geonameid=703656, date="2025-03", claimant="Russian Defense Ministry"),
            claim(place="Kupyansk", geonameid=703656, date="2025-03", claimant="Shoigu"),  # duplicate key
            claim(place="Kucherivka", status="fighting", controller=None, side="UA", claimant="Syrskyi",
                  date="2025-03-03"),
            claim(place="Lyman", status="fighting", controller=None, side="RU"),
        ],
    }
    report = score_pairs([("x", gold, pred), ("empty", {"places": [], "claims": []}, {})])
    d = report.to_dict()
    assert d["articles"] == 2
    assert d["places"] == {"precision": 0.667, "recall": 0.667, "f1": 0.667, "gold": 3}
    assert d["claims"] == {"precision": 0.667, "recall": 0.667, "f1": 0.667, "gold": 3,
                           "claimant_accuracy": 0.5, "date_accuracy": 0.5}
    x = report.articles[0]
    assert x.missed == ("(('id', 703656), 'denies', 'RU', 'UA')",)
    assert x.extra == ("(('name', 'lyman'), 'fighting', None, 'RU')",)
    assert report.articles[1].places_f1 == 1.0 and report.articles[1].claims_f1 == 1.0


def test_no_matches_gives_zero_accuracies():
    d = score_pairs([("x", {"claims": [claim()]}, {"claims": []})]).to_dict()
    assert d["claims"]["claimant_accuracy"] == 0.0 and d["claims"]["f1"] == 0.0


def test_score_dirs_missing_prediction_is_empty(gold_dir, tmp_path):
    pred = tmp_path / "pred"
    pred.mkdir()
    d = score_dirs(gold_dir, pred).to_dict()
    assert d["articles"] == 2
    assert d["claims"]["recall"] == 0.0 and d["places"]["recall"] == 0.0


def test_score_dirs_bad_directories(gold_dir, tmp_path):
    with pytest.raises(InputError, match="not a directory"):
        score_dirs(gold_dir, tmp_path / "missing")
    with pytest.raises(InputError, match="not a directory"):
        score_dirs(tmp_path / "missing", gold_dir)


def test_evaluate_reads_only_the_text(gold_dir, fake_pipeline):
    report = evaluate(gold_dir, pipeline=fake_pipeline)
    published = [d.published.isoformat() if d.published else None for d in fake_pipeline.seen]
    assert published == ["2025-03-03", None]
    assert all(d.outlet is None and d.url is None for d in fake_pipeline.seen)
    assert report.to_dict()["claims"]["f1"] == 0.4


def test_evaluate_unreadable_text_counts_as_empty(gold_dir, fake_pipeline):
    (gold_dir / "a2.txt").write_bytes(b"")
    report = evaluate(gold_dir, pipeline=fake_pipeline)
    assert len(report.errors) == 1 and "a2.txt" in report.errors[0]
    assert report.to_dict()["articles"] == 2


@pytest.mark.skipif(not SCORE_PY.exists(), reason="../shared/eval/score.py not available")
@pytest.mark.parametrize("gold", ["dev", "dev-ru-uk"])
def test_score_dirs_equals_score_py(gold, tmp_path):
    """Predictions from the real pipeline (whatever their accuracy), scored both ways."""
    from counterclaim.documents import read_document
    from counterclaim.pipeline import default_pipeline

    gold_dir = EVAL / gold
    if not gold_dir.is_dir():
        pytest.skip(f"{gold_dir} missing")
    pred = tmp_path / "pred"
    pred.mkdir()
    pipeline = default_pipeline()
    for txt in sorted(gold_dir.glob("*.txt")):
        a = pipeline.analyze_document(read_document(txt))
        (pred / f"{txt.stem}.json").write_text(json.dumps(a.to_gold(doc_id=txt.stem)), encoding="utf-8")

    def run(*flags):
        return subprocess.run([sys.executable, str(SCORE_PY), "score", str(gold_dir), str(pred), *flags],
                              capture_output=True, text=True, check=True).stdout

    mine = score_dirs(gold_dir, pred)
    assert mine.to_dict() == json.loads(run("--json"))
    assert mine.format(per_article=True) + "\n" == run("--per-article")
    assert mine.to_dict() == evaluate(gold_dir, pipeline).to_dict()
