"""Accuracy against annotated articles (claims JSON v1, ../shared/eval/SCHEMA.md).

The figures are those of the reference scorer ``score.py``:

- places: a predicted place matches a gold one by ``geonameid`` where it has one, else
  by normalised name (case-, accent- and apostrophe-insensitive); precision, recall, F1.
- claims: a predicted claim matches a gold one when (place key, ``status``,
  ``controller``, ``claimant_side``) agree, one claim per key; precision, recall, F1.
  Among matched claims, the share whose ``claimant`` shares a word with the gold one
  (ignoring "of", "the", "s", "and", "armed", "forces") and whose ``date`` agrees (one
  is a prefix of the other, or both are empty).

:func:`evaluate` analyses each ``NAME.txt`` that has a ``NAME.json`` gold beside it,
reading the text exactly as ``counterclaim analyze`` does (nothing from the gold file is
given to the pipeline). :func:`score_dirs` scores prediction files already written.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import InputError

_APOSTROPHES = dict.fromkeys(map(ord, "’'`ʼ"), None)
_NOT_WORD = re.compile(r"[^0-9a-zа-яёіїєґ]+")
_CLAIMANT_STOP = frozenset({"of", "the", "s", "and", "armed", "forces"})


def normalise(name: str | None) -> str:
    """Lower case, no accents, no apostrophes, runs of other symbols as one space."""
    decomposed = unicodedata.normalize("NFKD", name or "")
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _NOT_WORD.sub(" ", bare.lower().translate(_APOSTROPHES)).strip()


def place_key(item: dict[str, Any]) -> tuple:
    """How a place (or a claim's place) is matched: by GeoNames id, else by name."""
    gid = item.get("geonameid")
    if gid:
        return ("id", gid)
    return ("name", normalise(item.get("name") or item.get("place")))


def claim_key(claim: dict[str, Any]) -> tuple:
    return (place_key(claim), claim.get("status"), claim.get("controller"), claim.get("claimant_side"))


def claimant_tokens(name: str | None) -> set[str]:
    return set(normalise(name).split()) - _CLAIMANT_STOP


def same_claimant(gold: dict[str, Any], pred: dict[str, Any]) -> bool:
    return bool(claimant_tokens(gold.get("claimant")) & claimant_tokens(pred.get("claimant")))


def same_date(gold: dict[str, Any], pred: dict[str, Any]) -> bool:
    """Dates agree when one is a prefix of the other ("2024-02" and "2024-02-16"), or when
    neither claim has one."""
    g, p = gold.get("date"), pred.get("date")
    if g and p:
        return p.startswith(g) or g.startswith(p)
    return not g and not p


def prf(tp: int, npred: int, ngold: int) -> tuple[float, float, float]:
    """Precision, recall, F1. Nothing predicted and nothing to find is perfect."""
    precision = tp / npred if npred else (0.0 if ngold else 1.0)
    recall = tp / ngold if ngold else 1.0
    total = precision + recall
    return precision, recall, (2 * precision * recall / total if total else 0.0)


@dataclass(frozen=True, slots=True)
class ArticleScore:
    name: str
    places_f1: float
    claims_f1: float
    missed: tuple[str, ...]  # gold claim keys not predicted
    extra: tuple[str, ...]  # predicted claim keys not in gold


@dataclass(slots=True)
class EvalReport:
    articles: list[ArticleScore] = field(default_factory=list)
    places_tp: int = 0
    places_pred: int = 0
    places_gold: int = 0
    claims_tp: int = 0
    claims_pred: int = 0
    claims_gold: int = 0
    claimant_ok: int = 0
    date_ok: int = 0
    errors: list[str] = field(default_factory=list)  # items that could not be analysed

    def add(self, name: str, gold: dict[str, Any], pred: dict[str, Any]) -> ArticleScore:
        gold_places = {place_key(p) for p in gold.get("places") or []}
        pred_places = {place_key(p) for p in pred.get("places") or []}
        gold_claims: dict[tuple, dict] = {}
        for c in gold.get("claims") or []:
            gold_claims.setdefault(claim_key(c), c)
        pred_claims: dict[tuple, dict] = {}
        for c in pred.get("claims") or []:
            pred_claims.setdefault(claim_key(c), c)
        matched = gold_claims.keys() & pred_claims.keys()
        self.claimant_ok += sum(same_claimant(gold_claims[k], pred_claims[k]) for k in matched)
        self.date_ok += sum(same_date(gold_claims[k], pred_claims[k]) for k in matched)
        places_tp = len(gold_places & pred_places)
        self.places_tp += places_tp
        self.places_pred += len(pred_places)
        self.places_gold += len(gold_places)
        self.claims_tp += len(matched)
        self.claims_pred += len(pred_claims)
        self.claims_gold += len(gold_claims)
        row = ArticleScore(
            name=name,
            places_f1=prf(places_tp, len(pred_places), len(gold_places))[2],
            claims_f1=prf(len(matched), len(pred_claims), len(gold_claims))[2],
            missed=tuple(sorted(str(k) for k in gold_claims.keys() - pred_claims.keys())),
            extra=tuple(sorted(str(k) for k in pred_claims.keys() - gold_claims.keys())),
        )
        self.articles.append(row)
        return row

    # ------------------------------------------------------------------ figures
    def to_dict(self) -> dict[str, Any]:
        """The figures, rounded to 3 decimals, in score.py's ``--json`` shape."""
        pl = prf(self.places_tp, self.places_pred, self.places_gold)
        cl = prf(self.claims_tp, self.claims_pred, self.claims_gold)

        def share(n: int) -> float:
            return round(n / self.claims_tp, 3) if self.claims_tp else 0.0

        return {
            "articles": len(self.articles),
            "places": {"precision": round(pl[0], 3), "recall": round(pl[1], 3), "f1": round(pl[2], 3),
                       "gold": self.places_gold},
            "claims": {"precision": round(cl[0], 3), "recall": round(cl[1], 3), "f1": round(cl[2], 3),
                       "gold": self.claims_gold,
                       "claimant_accuracy": share(self.claimant_ok),
                       "date_accuracy": share(self.date_ok)},
        }

    def format(self, per_article: bool = False) -> str:
        """The figures as score.py prints them."""
        lines: list[str] = []
        if per_article:
            for a in self.articles:
                lines.append(f"{a.name}: places F1 {a.places_f1:.2f}  claims F1 {a.claims_f1:.2f}")
                lines.extend(f"   missed {m}" for m in a.missed)
                lines.extend(f"   extra  {e}" for e in a.extra)
        d = self.to_dict()
        p, c = d["places"], d["claims"]
        lines.append(f"articles {d['articles']}")
        lines.append(
            f"places  P {p['precision']:.3f} R {p['recall']:.3f} F1 {p['f1']:.3f} (gold {p['gold']})"
        )
        lines.append(
            f"claims  P {c['precision']:.3f} R {c['recall']:.3f} F1 {c['f1']:.3f} (gold {c['gold']}); "
            f"claimant {c['claimant_accuracy']:.3f} date {c['date_accuracy']:.3f}"
        )
        return "\n".join(lines)


def load_json(path: Path, *, missing_ok: bool = False) -> dict[str, Any]:
    """A claims JSON v1 file; a missing prediction file is an empty prediction."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        if missing_ok:
            return {"places": [], "claims": []}
        raise InputError(str(path), "no such file") from None
    except UnicodeDecodeError as e:
        raise InputError(str(path), f"not valid UTF-8 at byte {e.start}") from None
    except json.JSONDecodeError as e:
        raise InputError(str(path), f"invalid JSON: {e.msg} at line {e.lineno} column {e.colno}") from None
    except OSError as e:
        raise InputError(str(path), f"cannot read ({e.strerror or e})") from None
    if not isinstance(data, dict):
        raise InputError(str(path), "expected a JSON object with 'places' and 'claims'")
    return data


def gold_files(gold_dir: Path | str) -> list[Path]:
    gold_dir = Path(gold_dir)
    if not gold_dir.is_dir():
        raise InputError(str(gold_dir), "not a directory")
    return sorted(gold_dir.glob("*.json"))


def score_pairs(pairs: Iterable[tuple[str, dict[str, Any], dict[str, Any]]]) -> EvalReport:
    """Score ``(name, gold, prediction)`` triples."""
    report = EvalReport()
    for name, gold, pred in pairs:
        report.add(name, gold, pred)
    return report


def score_dirs(gold_dir: Path | str, pred_dir: Path | str) -> EvalReport:
    """Score ``PRED_DIR/NAME.json`` against each ``GOLD_DIR/NAME.json`` (a missing
    prediction counts as empty), as ``score.py score GOLD_DIR PRED_DIR`` does."""
    pred_dir = Path(pred_dir)
    if not pred_dir.is_dir():
        raise InputError(str(pred_dir), "not a directory")
    return score_pairs(
        (g.stem, load_json(g), load_json(pred_dir / g.name, missing_ok=True)) for g in gold_files(gold_dir)
    )


def evaluate(gold_dir: Path | str, pipeline=None, *, max_bytes: int | None = None) -> EvalReport:
    """Analyse every ``NAME.txt`` beside a ``NAME.json`` gold file in ``gold_dir`` and score
    the analyses. A text that cannot be read scores as an empty prediction and is listed in
    ``report.errors``."""
    from .documents import DEFAULT_MAX_BYTES, read_document

    if pipeline is None:
        from .pipeline import default_pipeline

        pipeline = default_pipeline()
    report = EvalReport()
    for g in gold_files(gold_dir):
        gold = load_json(g)
        txt = g.with_suffix(".txt")
        try:
            doc = read_document(txt, max_bytes=max_bytes or DEFAULT_MAX_BYTES)
        except InputError as e:
            report.errors.append(str(e))
            pred: dict[str, Any] = {"places": [], "claims": []}
        else:
            pred = pipeline.analyze_document(doc).to_gold(doc_id=g.stem)
        report.add(g.stem, gold, pred)
    return report
