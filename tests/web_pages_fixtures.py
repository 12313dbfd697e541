"""Articles for the browser tests of the web pages, and a store filled by a real ingest.

The articles are written for the tests (fictional, real place names):

- Kupiansk: the RU side says it was captured (2025-03-05), the UA side denies it and says it
  holds the town (2025-03-06) -> a dispute in one week;
- Vuhledar: the RU side announces its capture (2025-02-20) and the UA side its withdrawal
  (2025-02-21) -> both sides agree;
- Chasiv Yar: both sides report fighting (2025-03-04);
- an analyst note whose text carries HTML that must stay inert.

The UA Kupiansk article has a flag emoji (two code points, four UTF-16 units) before its
evidence: the pages must map the server's code point offsets onto JavaScript strings.
"""

from __future__ import annotations

from pathlib import Path

ARTICLES: dict[str, str] = {
    "ru_vuhledar.txt": (
        "date: 2025-02-20\noutlet: TASS\ntitle: Vuhledar liberated\n\n"
        "MOSCOW, February 20. /TASS/. Units of the East battlegroup have captured Vuhledar, "
        "the Russian Defense Ministry said on Thursday.\n"
    ),
    "ua_vuhledar.txt": (
        "date: 2025-02-21\noutlet: Ukrinform\ntitle: Troops leave Vuhledar\n\n"
        "KYIV, February 21. Ukrainian forces withdrew from Vuhledar to avoid encirclement, "
        "the General Staff of the Armed Forces of Ukraine said on Friday.\n"
    ),
    "ru_chasiv.txt": (
        "date: 2025-03-04\noutlet: TASS\ntitle: Battles near Chasiv Yar\n\n"
        "MOSCOW, March 4. /TASS/. Fighting is under way in Chasiv Yar, the Russian Defense "
        "Ministry said on Tuesday.\n"
    ),
    "ua_chasiv.txt": (
        "date: 2025-03-04\noutlet: Ukrinform\ntitle: Clashes in Chasiv Yar\n\n"
        "KYIV, March 4. Heavy fighting continues in Chasiv Yar, the General Staff of the Armed "
        "Forces of Ukraine said on Tuesday.\n"
    ),
    "ru_kupiansk.txt": (
        "date: 2025-03-05\noutlet: TASS\ntitle: Kupyansk liberated\n\n"
        "MOSCOW, March 5. /TASS/. Units of the West battlegroup have liberated Kupyansk, "
        "the Russian Defense Ministry said on Wednesday.\n"
    ),
    "ua_kupiansk.txt": (
        "date: 2025-03-06\noutlet: Ukrinform\ntitle: Kupiansk remains Ukrainian\n\n"
        "KYIV 🇺🇦, March 6. Ukrainian forces continue to control Kupiansk, and Russian claims of its "
        "capture are false, the General Staff of the Armed Forces of Ukraine said on Thursday.\n"
    ),
    "analyst_script.txt": (
        "date: 2025-03-07\noutlet: Institute for the Study of War\ntitle: Note <script>x</script>\n\n"
        "Markup test <script>window.__pwned = 1</script> and <img src=x onerror=\"window.__pwned=2\">. "
        "Russian forces recently advanced in Chasiv Yar, according to geolocated footage.\n"
    ),
}


def write_articles(directory: Path) -> Path:
    """Write the articles into `directory` (created); returns it."""
    directory.mkdir(parents=True, exist_ok=True)
    for name, text in ARTICLES.items():
        (directory / name).write_text(text, encoding="utf-8")
    return directory


def fill_store(db_url: str, directory: Path) -> None:
    """A real ingest of the articles into the store at `db_url`."""
    from counterclaim.ingest import ingest
    from counterclaim.pipeline import default_pipeline
    from counterclaim.sources import iter_sources
    from counterclaim.store import Store

    write_articles(directory)
    with Store(db_url) as store:
        summary = ingest(iter_sources([str(directory)]), store, default_pipeline())
    assert summary.failed == 0, summary.errors
    assert summary.new == len(ARTICLES), summary.line()
