"""Generated war reports, for tests and benchmarks of batch runs (never for accuracy).

The articles are written here from templates in the voices the tool reads -- a defence
ministry through state media, a general staff bulletin, a wire agency, an analyst, a
military blogger -- with places, dates and numbers drawn at random, so that a corpus of any
size has realistic length and claim density and every article a distinct text.
:func:`write_shards` writes them as JSONL shards (the input of distributed runs).
"""

from __future__ import annotations

import gzip
import json
import random
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

__all__ = ["PLACES", "article", "articles", "write_shards"]

#: Settlements of the front line (names as English-language reports spell them).
PLACES = (
    "Pokrovsk", "Kurakhove", "Toretsk", "Chasiv Yar", "Vuhledar", "Avdiivka", "Bakhmut", "Kupiansk",
    "Lyman", "Siversk", "Kostiantynivka", "Vovchansk", "Robotyne", "Velyka Novosilka", "Selydove",
    "Myrnohrad", "Krasnohorivka", "Marinka", "Novohrodivka", "Hulyaipole", "Orikhiv", "Kreminna",
    "Terny", "Synkivka", "Petropavlivka", "Ivanivka", "Klishchiivka", "Andriivka", "Niu-York",
    "Staromaiorske", "Urozhaine", "Rabotino", "Kurdyumivka", "Pishchane", "Dachne",
)

_RU_CLAIMS = (
    "Units of the {group} group of forces have fully liberated the settlement of {p1}, "
    "the Russian Defence Ministry said on {weekday}.",
    "Russian troops took control of {p1} in the Donetsk People's Republic, the ministry reported.",
    "The ministry said its forces had improved their positions near {p1} and {p2} and repelled "
    "{n} counterattacks.",
    "Assault detachments have captured {pct} percent of {p1}, a Defence Ministry spokesman told "
    "reporters in Moscow.",
    "According to the ministry, Ukrainian forces withdrew from {p2} after losing up to {n} "
    "servicemen.",
)
_UA_CLAIMS = (
    "Ukraine's General Staff said its forces repelled {n} Russian assaults near {p1} and "
    "{p2} over the past day.",
    "{p1} remains under the control of the Defence Forces of Ukraine, the General Staff said.",
    "Ukrainian commanders denied that Russian troops had captured {p1}, saying fighting "
    "continued on the outskirts.",
    "The General Staff reported that Ukrainian units had liberated {p2} in a counteroffensive.",
    "Fierce fighting is under way in {p1}, a spokesman for the {brigade} Brigade said on "
    "national television.",
)
_OTHER = (
    "Reuters could not independently verify the battlefield reports from either side.",
    "The Institute for the Study of War assessed that Russian forces had advanced in eastern "
    "{p1} but had not seized the town.",
    "Geolocated footage published on {weekday} indicates that Russian forces recently advanced "
    "south of {p2}, analysts said.",
    "A military blogger wrote on Telegram that the battle for {p1} was far from over.",
    "Local officials said {n} civilians were evacuated from {p2} during the week.",
)
_VOICES = (
    ("TASS", "RU", _RU_CLAIMS),
    ("General Staff of the Armed Forces of Ukraine", "UA", _UA_CLAIMS),
    ("Reuters", "OTHER", _RU_CLAIMS + _UA_CLAIMS + _OTHER),
    ("Institute for the Study of War", "OTHER", _OTHER + _RU_CLAIMS[:2] + _UA_CLAIMS[:2]),
)
_GROUPS = ("Centre", "South", "West", "East", "Dnepr")
_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_BRIGADES = ("47th", "93rd", "3rd Assault", "110th", "24th", "59th")


def article(rng: random.Random, i: int = 0) -> dict[str, str]:
    """One generated article: ``{"text", "outlet", "outlet_side", "published", "url", "title"}``."""
    outlet, side, templates = _VOICES[rng.randrange(len(_VOICES))]
    day = date(2024, 1, 1) + timedelta(days=rng.randrange(700))
    paragraphs = []
    for _ in range(rng.randint(4, 9)):
        p1, p2 = rng.sample(PLACES, 2)
        paragraphs.append(rng.choice(templates).format(
            p1=p1, p2=p2, n=rng.randint(2, 40), pct=rng.choice((30, 40, 60, 70, 80, 90)),
            group=rng.choice(_GROUPS), weekday=rng.choice(_WEEKDAYS), brigade=rng.choice(_BRIGADES)))
    paragraphs.append(f"(report {i}, {rng.getrandbits(32):08x})")  # every text distinct
    title = paragraphs[0].split(",")[0][:80]
    return {"text": "\n\n".join(paragraphs) + "\n", "outlet": outlet, "outlet_side": side,
            "published": day.isoformat(), "url": f"https://example.org/{side.lower()}/{i}", "title": title}


def articles(n: int, seed: int = 1) -> Iterator[dict[str, str]]:
    """``n`` generated articles, the same for the same seed."""
    rng = random.Random(seed)
    for i in range(n):
        yield article(rng, i)


def write_shards(directory: str | Path, n: int, shards: int, *, seed: int = 1, gzip_every: int = 0
                 ) -> list[Path]:
    """Write ``n`` articles as ``shards`` JSONL files under ``directory``; every
    ``gzip_every``-th shard (when > 0) is gzipped. Returns the paths."""
    out = Path(directory)
    out.mkdir(parents=True, exist_ok=True)
    per = -(-n // shards)
    it = articles(n, seed)
    paths = []
    for s in range(shards):
        gz = gzip_every > 0 and s % gzip_every == gzip_every - 1
        path = out / f"shard-{s:04d}.jsonl{'.gz' if gz else ''}"
        opener = gzip.open if gz else open
        with opener(path, "wt", encoding="utf-8") as fh:
            for _ in range(per):
                a = next(it, None)
                if a is None:
                    break
                fh.write(json.dumps(a, ensure_ascii=False) + "\n")
        paths.append(path)
    return paths
