"""Transliteration of Ukrainian and Russian place names, by rule.

* :func:`national` — the Ukrainian national romanisation (Cabinet of Ministers, 2010),
  the spelling the schema uses for names (Кучерівка -> Kucherivka).
* :func:`variants` — the Latin spellings a name is likely to meet in English text, from
  several schemes at once (Ukrainian national, BGN/PCGN Russian, scholarly/ISO-ish with
  ``j``, simplified without soft signs, ye/e, yi/i, iy/y/yy endings...).
* :func:`key` — the normal form under which spellings are compared (case, accents,
  apostrophes and hyphens folded).
* :func:`skeleton` — a consonant skeleton, the fallback that makes Russian and
  Ukrainian spellings of one village meet (Kucheryovka / Kucherivka).
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from functools import lru_cache

VOWELS_CYR = set("аеєиіїоуюяыэё")
APOSTROPHES = "'’ʼ`´‘ʻ\u02b9\u02ba\""
_APOS_RE = re.compile("[" + re.escape(APOSTROPHES) + "”“]")
_SEP_RE = re.compile(r"[\s\-‐‑–—]+")

# Ukrainian national romanisation (2010): letter -> (word-initial form, other form)
_UK_NATIONAL: dict[str, tuple[str, str]] = {
    "а": ("a", "a"), "б": ("b", "b"), "в": ("v", "v"), "г": ("h", "h"), "ґ": ("g", "g"),
    "д": ("d", "d"), "е": ("e", "e"), "є": ("ye", "ie"), "ж": ("zh", "zh"), "з": ("z", "z"),
    "и": ("y", "y"), "і": ("i", "i"), "ї": ("yi", "i"), "й": ("y", "i"), "к": ("k", "k"),
    "л": ("l", "l"), "м": ("m", "m"), "н": ("n", "n"), "о": ("o", "o"), "п": ("p", "p"),
    "р": ("r", "r"), "с": ("s", "s"), "т": ("t", "t"), "у": ("u", "u"), "ф": ("f", "f"),
    "х": ("kh", "kh"), "ц": ("ts", "ts"), "ч": ("ch", "ch"), "ш": ("sh", "sh"),
    "щ": ("shch", "shch"), "ь": ("", ""), "ю": ("yu", "iu"), "я": ("ya", "ia"),
    # Russian letters met in Ukrainian-looking names, romanised the BGN way
    "ё": ("yo", "io"), "ы": ("y", "y"), "э": ("e", "e"), "ъ": ("", ""),
}

# Options per letter, the first being the most common. Context handled in _options().
_COMMON: dict[str, list[str]] = {
    "а": ["a"], "б": ["b"], "в": ["v"], "д": ["d"], "з": ["z"], "к": ["k"], "л": ["l"],
    "м": ["m"], "н": ["n"], "о": ["o"], "п": ["p"], "р": ["r"], "с": ["s"], "т": ["t"],
    "у": ["u"], "ф": ["f"], "х": ["kh", "h", "ch"], "ц": ["ts", "c", "tz"], "ч": ["ch"],
    "ш": ["sh"], "щ": ["shch", "sch", "shh"], "ж": ["zh"], "ъ": [""], "ґ": ["g"],
    "ы": ["y", "i"], "э": ["e"], "і": ["i"],
}
_UK: dict[str, list[str]] = {
    **_COMMON, "г": ["h", "g"], "е": ["e"], "и": ["y", "i"], "ї": ["i", "yi", "ji", "y"],
    "й": ["i", "y", "j", ""], "є": ["ie", "ye", "je", "e"], "ю": ["iu", "yu", "ju"],
    "я": ["ia", "ya", "ja"], "ь": ["", "y"], "ё": ["io", "yo", "e"],
}
_RU: dict[str, list[str]] = {
    **_COMMON, "г": ["g", "h"], "е": ["e"], "и": ["i", "y"], "й": ["y", "i", "j", ""],
    "ё": ["yo", "e", "io", "jo", "o"], "ю": ["yu", "iu", "ju"], "я": ["ya", "ia", "ja"],
    "ь": ["", "y", "i"], "є": ["ye", "e"], "ї": ["yi", "i"],
}
_MAX_VARIANTS = 96


def is_cyrillic(s: str) -> bool:
    return any("\u0400" <= ch <= "\u04ff" for ch in s)


def cyr_lang(s: str) -> str | None:
    """'uk' or 'ru' when letters tell, else None."""
    low = s.lower()
    if any(ch in low for ch in "іїєґ'’ʼ"):
        return "uk"
    if any(ch in low for ch in "ыэъё"):
        return "ru"
    return None


def _cap(word: str) -> str:
    return "-".join(" ".join(p[:1].upper() + p[1:] for p in part.split(" ")) for part in word.split("-"))


def national(cyr: str) -> str:
    """Ukrainian national romanisation (2010), capitalised like the source."""
    out: list[str] = []
    low = cyr.lower()
    prev = ""
    for i, ch in enumerate(low):
        initial = i == 0 or not prev.isalpha() and prev not in APOSTROPHES
        if ch in APOSTROPHES:
            prev = ch
            continue
        if ch == "г" and prev == "з":
            out.append("gh")
        elif ch in _UK_NATIONAL:
            pair = _UK_NATIONAL[ch]
            out.append(pair[0] if initial else pair[1])
        else:
            out.append(ch)
        prev = ch
    return _cap("".join(out))


def _options(low: str, table: dict[str, list[str]], lang: str) -> list[list[str]]:
    opts: list[list[str]] = []
    n = len(low)
    for i, ch in enumerate(low):
        prev = low[i - 1] if i else ""
        nxt = low[i + 1] if i + 1 < n else ""
        initial = i == 0 or not prev.isalpha() and prev not in APOSTROPHES
        after_vowel = prev in VOWELS_CYR or prev in "ьъ" or prev in APOSTROPHES
        if ch in APOSTROPHES:
            opts.append([""])
            continue
        if ch == "е" and lang == "ru":
            opts.append(["ye", "e", "je"] if initial or after_vowel else ["e"])
            continue
        if ch == "е" and lang == "uk" and (initial or after_vowel):
            opts.append(["e", "ye"])
            continue
        if ch == "ё" and prev in ("ж", "ч", "ш", "щ"):
            opts.append(["o", "e", "yo"])
            continue
        if ch in ("є", "ї", "ю", "я") and initial:
            base = table[ch]
            opts.append([o for o in base if o[:1] in "yj"] + [o for o in base if o[:1] not in "yj"][:1])
            continue
        if ch == "й" and initial:
            opts.append(["y", "i", "j"])
            continue
        if ch == "ь" and nxt not in VOWELS_CYR:
            opts.append([""])
            continue
        if ch == "г" and prev == "з" and lang == "uk":
            opts.append(["gh", "g"])
            continue
        opts.append(table.get(ch, [ch]))
    return opts


def variants(cyr: str, lang: str | None = None) -> set[str]:
    """Latin spellings of a Cyrillic name (lower case, keys not yet normalised)."""
    low = cyr.lower().replace("ё", "ё")
    lang = lang or cyr_lang(low)
    langs = [lang] if lang else ["uk", "ru"]
    out: set[str] = set()
    if "uk" in langs:
        out.add(national(cyr).lower())
    for lg in langs:
        table = _UK if lg == "uk" else _RU
        opts = _options(low, table, lg)
        total = 1
        for o in opts:
            total *= len(o)
        if total > _MAX_VARIANTS:
            # keep the alternatives of the letters that vary most often, first options elsewhere
            budget = _MAX_VARIANTS
            trimmed: list[list[str]] = []
            for o in opts:
                if len(o) > 1 and budget >= len(o) * 2:
                    keep = o[: max(2, min(len(o), budget // 8 or 1))]
                    budget //= len(keep)
                    trimmed.append(keep)
                else:
                    trimmed.append(o[:1])
            opts = trimmed
        for combo in itertools.product(*opts):
            out.add("".join(combo))
    return out


def strip_accents(s: str) -> str:
    if s.isascii():
        return s
    d = unicodedata.normalize("NFKD", s)
    return "".join(ch for ch in d if not unicodedata.combining(ch))


@lru_cache(maxsize=100_000)
def key(s: str) -> str:
    """Normal form for comparing spellings: lower case, no accents or apostrophes, one
    space between words (hyphens count as spaces)."""
    s = s.lower()
    if not s.isascii():
        s = s.replace("ё", "е").replace("й", "\0")
        s = unicodedata.normalize("NFKD", s)
        s = "".join(ch for ch in s if not unicodedata.combining(ch)).replace("\0", "й")
        s = s.replace("ł", "l").replace("ß", "ss").replace("ı", "i")
    s = _APOS_RE.sub("", s)
    s = _SEP_RE.sub(" ", s).strip()
    return s


_SKEL_SUBS = [
    ("shch", "Q"), ("sch", "Q"), ("zh", "Z"), ("kh", "X"), ("ch", "C"), ("sh", "S"),
    ("ts", "T"), ("tz", "T"), ("h", "g"), ("w", "v"), ("c", "T"), ("x", "ks"),
]
_SKEL_DROP = re.compile(r"[aeiouyj\s'’ʼ\-]")


@lru_cache(maxsize=100_000)
def skeleton(s: str) -> str:
    """Consonant skeleton of a Latin name: kh/zh/ch/sh/shch/ts folded to one symbol each,
    h->g, w->v, vowels, y/i/j and apostrophes dropped, doubled letters collapsed."""
    s = key(s)
    if not s.isascii():
        s = variants(s).pop() if is_cyrillic(s) else s
    for a, b in _SKEL_SUBS:
        s = s.replace(a, b)
    s = _SKEL_DROP.sub("", s)
    out = []
    for ch in s:
        if not out or out[-1] != ch:
            out.append(ch)
    return "".join(out)
