"""The store query commands (claims, disputes, agreements, timeline, snapshot, export) over a
store filled by analysing short articles with the real pipeline."""

from __future__ import annotations

import csv
import io
import json

import pytest
from click.testing import CliRunner

from counterclaim import Pipeline
from counterclaim.cli import cli
from counterclaim.store import Store

ARTICLES = {
    "tass": """date: 2025-02-07
outlet: TASS

MOSCOW, February 7. /TASS/. Russian troops have liberated the town of Kupyansk in the Kharkov Region, \
the Russian Defense Ministry said on Friday. Fighting continues near Kurilovka, the ministry said.
""",
    "ukrinform": """date: 2025-02-08
outlet: Ukrinform

Ukraine's General Staff denied on Saturday Russian claims that Kupiansk had been captured. \
"Kupiansk remains under the control of the Defense Forces of Ukraine," the General Staff said.
""",
    "ria": """date: 2025-02-10
outlet: RIA Novosti

Russian forces control 80% of Volchansk, the Russian Defense Ministry said on Monday.
""",
    "kyiv": """date: 2025-02-11
outlet: Kyiv Independent

Ukrainian troops withdrew from Velyka Novosilka to avoid encirclement, the Khortytsia group of forces \
said on Tuesday.
""",
    "tass2": """date: 2025-02-12
outlet: TASS

Russian troops have liberated Velyka Novosilka, the Russian Defense Ministry said on Wednesday.
""",
}


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> str:
    path = str(tmp_path_factory.mktemp("store") / "cc.db")
    pipeline = Pipeline()
    store = Store(path)
    store.add_many([(pipeline.analyze(text), name) for name, text in ARTICLES.items()])
    store.close()
    return path


def run(*args: str):
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result


def test_claims_table(db):
    r = run("claims", "--db", db)
    assert r.exit_code == 0, r.output
    assert "Kupiansk" in r.output and "Russian Defense Minist" in r.output and "[UA]" in r.output
    assert "claims)" in r.output


@pytest.mark.parametrize(("args", "expected"), [
    (["--place", "Kupyansk"], {("RU", "controls", "Kupiansk"), ("UA", "denies", "Kupiansk"),
                               ("UA", "controls", "Kupiansk")}),
    (["--place", "Куп'янськ", "--side", "UA", "--status", "denies"], {("UA", "denies", "Kupiansk")}),
    (["--outlet", "ria novosti"], {("RU", "partial", "Vovchansk")}),
    # a claim dated to February (the UA one about Kupiansk) overlaps any bound in February
    (["--since", "2025-02-11", "--status", "controls"], {("RU", "controls", "Velyka Novosilka"),
                                                         ("UA", "controls", "Kupiansk")}),
    (["--text", "liberated Velyka"], {("RU", "controls", "Velyka Novosilka")}),
])
def test_claims_filters_json(db, args, expected):
    r = run("claims", "--db", db, "--format", "json", *args)
    assert r.exit_code == 0, r.output
    rows = [json.loads(line) for line in r.output.splitlines()]
    assert {(x["claimant_side"], x["status"], x["place"]) for x in rows} == expected


def test_claims_csv_and_limit(db):
    r = run("claims", "--db", db, "--format", "csv", "--limit", "2")
    rows = list(csv.DictReader(io.StringIO(r.output)))
    assert len(rows) == 2 and "evidence" in rows[0]


def test_unknown_place_lists_close_matches(db):
    r = run("claims", "--db", db, "--place", "Kupianks")
    assert r.exit_code == 1
    assert "Kupianks" in r.output and "did you mean: Kupiansk" in r.output


def test_empty_store_is_friendly(tmp_path):
    for cmd in (["claims"], ["disputes"], ["timeline", "Kupiansk"], ["snapshot", "--date", "2025-01-01"],
                ["export", "--format", "jsonl"]):
        r = run(*cmd, "--db", str(tmp_path / "empty.db"))
        assert r.exit_code == 0, r.output
        assert "no claims yet" in r.output


def test_capture_and_denial_make_a_dispute(db):
    r = run("disputes", "--db", db)
    assert r.exit_code == 0, r.output
    # the General Staff's "remains under the control" is dated to the month: the period is February
    assert "== Kupiansk (Kharkiv Oblast, UA) 2025-02-01 .. 2025-02-28 [control]" in r.output
    assert "RU side:" in r.output and "UA side:" in r.output
    assert "Russian Defense Ministry says controls RU (2025-02-07)" in r.output
    r = run("disputes", "--db", db, "--format", "json", "--place", "Kupiansk")
    (d,) = [json.loads(line) for line in r.output.splitlines()]
    assert d["kind"] == "control" and d["place"]["name"] == "Kupiansk"
    assert {c["status"] for c in d["ru"]} == {"controls"}
    assert {c["status"] for c in d["ua"]} >= {"denies"}
    assert all(c["evidence"] for c in d["ru"] + d["ua"])


def test_disputes_window(db):
    r = run("disputes", "--db", db, "--since", "2025-03")
    assert "(no disputes found)" in r.output


def test_agreements(db):
    r = run("agreements", "--db", db, "--format", "json")
    assert r.exit_code == 0, r.output
    (a,) = [json.loads(line) for line in r.output.splitlines()]
    assert a["place"]["name"] == "Velyka Novosilka" and a["kind"] == "capture and withdrawal"
    r = run("agreements", "--db", db)
    assert "Velyka Novosilka" in r.output and "(1 agreement)" in r.output


@pytest.mark.parametrize("suffix", ["png", "svg"])
def test_timeline_with_chart(db, tmp_path, suffix):
    chart = tmp_path / f"kup.{suffix}"
    r = run("timeline", "Kupyansk", "--db", db, "--chart", str(chart))
    assert r.exit_code == 0, r.output
    assert r.output.startswith("== Kupiansk (Kharkiv Oblast, UA): 3 claims")
    data = chart.read_bytes()
    if suffix == "png":
        assert data.startswith(b"\x89PNG\r\n\x1a\n")
    else:
        assert b"<svg" in data[:1000] and data.rstrip().endswith(b"</svg>")


def test_timeline_json_in_date_order(db):
    r = run("timeline", "gn:703656", "--db", db, "--format", "json")
    whens = [json.loads(line)["date"] for line in r.output.splitlines()]
    assert whens == sorted(whens)


def test_timeline_bad_chart_suffix(db, tmp_path):
    r = run("timeline", "Kupiansk", "--db", db, "--chart", str(tmp_path / "x.gif"))
    assert r.exit_code == 2


def test_timeline_unknown_place(db):
    r = run("timeline", "Atlantis", "--db", db)
    assert r.exit_code == 1 and "Atlantis: no stored claims" in r.output


def test_snapshot(db):
    r = run("snapshot", "--date", "2025-02-09", "--db", db, "--format", "json")
    assert r.exit_code == 0, r.output
    rows = {x["place"]: x for x in map(json.loads, r.output.splitlines())}
    assert rows["Kupiansk"]["state"] == "disputed"
    assert rows["Kupiansk"]["ru_status"] == "controls"
    assert "Vovchansk" not in rows  # claimed after the date
    later = {x["place"]: x for x in map(json.loads, run("snapshot", "--date", "2025-02-20", "--db", db,
                                                        "--format", "json").output.splitlines())}
    assert later["Velyka Novosilka"]["state"] == "agree-RU"
    assert later["Vovchansk"]["state"] == "one-sided"
    table = run("snapshot", "--date", "2025-02-20", "--db", db).output
    assert "Velyka Novosilka" in table and "agree-RU" in table


def test_snapshot_bad_date(db):
    assert run("snapshot", "--date", "March", "--db", db).exit_code == 2


@pytest.mark.parametrize("fmt", ["jsonl", "csv", "geojson", "acled", "claims-json"])
def test_export_formats(db, tmp_path, fmt):
    out = tmp_path / f"out.{fmt}"
    r = run("export", "--format", fmt, "--out", str(out), "--db", db)
    assert r.exit_code == 0, r.output
    assert "exported" in r.output
    text = out.read_text(encoding="utf-8")
    if fmt in ("jsonl", "claims-json"):
        rows = [json.loads(line) for line in text.splitlines()]
        assert len(rows) == (5 if fmt == "claims-json" else len(text.splitlines()))
    elif fmt == "geojson":
        data = json.loads(text)
        assert data["type"] == "FeatureCollection" and data["features"]
    else:
        rows = list(csv.DictReader(io.StringIO(text)))
        assert rows
        if fmt == "acled":
            assert rows[0]["event_id_cnty"].startswith("CC-")


def test_export_filtered_to_stdout(db):
    r = run("export", "--format", "jsonl", "--place", "Kupiansk", "--side", "RU", "--db", db)
    rows = [json.loads(line) for line in r.output.splitlines() if line.startswith("{")]
    assert [(x["place"], x["status"]) for x in rows] == [("Kupiansk", "controls")]


@pytest.mark.parametrize("cmd", ["claims", "disputes", "agreements", "timeline", "snapshot", "export"])
def test_help_has_an_example(cmd):
    r = run(cmd, "--help")
    assert r.exit_code == 0 and "Example" in r.output
