"""The command line, through click's runner, on real files in tmp_path."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from counterclaim.cli import cli

SAMPLES = Path(__file__).resolve().parent.parent / "samples"

ARTICLE = ("date: 2025-03-03\noutlet: TASS\n\n"
           "MOSCOW, March 3. /TASS/. Russian forces took Kupiansk, the ministry said.\n")


@pytest.fixture
def runner():
    return CliRunner()


@pytest.fixture
def articles(tmp_path):
    d = tmp_path / "in"
    d.mkdir()
    (d / "d01.txt").write_text(ARTICLE, encoding="utf-8")
    (d / "d02.txt").write_text("date: 2025-03-04\nFighting continued near Lyman.\n", encoding="utf-8")
    (d / "notes.md").write_text("not an article", encoding="utf-8")
    return d


def test_version(runner):
    r = runner.invoke(cli, ["--version"])
    assert r.exit_code == 0
    assert r.output.startswith("counterclaim ")


@pytest.mark.parametrize(
    "args",
    [[], ["analyze"], ["eval"], ["gazetteer"], ["gazetteer", "add"], ["gazetteer", "build"],
     ["gazetteer", "lookup"]],
)
def test_every_command_has_an_example_in_its_help(runner, args):
    r = runner.invoke(cli, [*args, "--help"])
    assert r.exit_code == 0, r.output
    assert "Example" in r.output
    assert "counterclaim " in r.output.split("Example", 1)[1]


# ------------------------------------------------------------------ analyze, real pipeline
def test_analyze_one_file_table(runner, articles):
    r = runner.invoke(cli, ["analyze", str(articles / "d01.txt")])
    assert r.exit_code == 0, r.output
    assert r.output.startswith(f"== {articles / 'd01.txt'}")
    assert "published 2025-03-03" in r.output
    assert "places:" in r.output
    assert all(len(line) <= 120 for line in r.output.splitlines())


def test_analyze_samples_table_fits_120_columns(runner):
    r = runner.invoke(cli, ["analyze", str(SAMPLES)])
    assert r.exit_code == 0, r.output
    assert r.output.count("\n== ") + r.output.startswith("== ") == len(list(SAMPLES.glob("*.txt")))
    assert all(len(line) <= 120 for line in r.output.splitlines())


@pytest.mark.parametrize("fmt", ["json", "gold"])
def test_analyze_json_formats_print_one_object_per_document(runner, articles, fmt):
    r = runner.invoke(cli, ["analyze", str(articles), "--format", fmt])
    assert r.exit_code == 0, r.output
    docs = [json.loads(line) for line in r.output.splitlines()]
    assert len(docs) == 2
    for d in docs:
        assert {"places", "claims", "published", "outlet"} <= d.keys()
    if fmt == "gold":
        assert [d["id"] for d in docs] == ["d01", "d02"]
    else:
        assert all("mentions" in d and "file" in d for d in docs)
    text = ARTICLE
    for c in docs[0]["claims"]:
        assert c["evidence"] in text


def test_analyze_out_writes_name_json(runner, articles, tmp_path):
    out = tmp_path / "out"
    r = runner.invoke(cli, ["analyze", str(articles), "--format", "gold", "--out", str(out)])
    assert r.exit_code == 0, r.output
    assert sorted(p.name for p in out.iterdir()) == ["d01.json", "d02.json"]
    gold = json.loads((out / "d01.json").read_text(encoding="utf-8"))
    assert gold["id"] == "d01"
    assert gold["published"] == "2025-03-03"


def test_analyze_stdin(runner):
    r = runner.invoke(cli, ["analyze", "-", "--format", "gold"], input=ARTICLE.encode())
    assert r.exit_code == 0, r.output
    assert json.loads(r.output)["id"] == "stdin"


def test_analyze_empty_stdin_is_an_error(runner):
    r = runner.invoke(cli, ["analyze", "-"], input=b"")
    assert r.exit_code == 1
    assert "error: <stdin>: empty" in r.stderr


def test_bad_files_are_reported_and_the_good_ones_still_written(runner, articles, tmp_path):
    (articles / "empty.txt").write_bytes(b"")
    (articles / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    (articles / "latin.txt").write_bytes("Kupiansk caf\u00e9 and more words".encode("latin-1"))
    out = tmp_path / "out"
    r = runner.invoke(cli, ["analyze", str(articles), "--format", "gold", "--out", str(out)])
    assert r.exit_code == 1
    errors = r.stderr.splitlines()
    assert len(errors) == 3
    for name, reason in (("empty.txt", "empty"), ("image.txt", "binary"), ("latin.txt", "UTF-8")):
        line = next(e for e in errors if name in e)
        assert line.startswith(f"error: {articles / name}: ")
        assert reason in line
    assert sorted(p.name for p in out.iterdir()) == ["d01.json", "d02.json"]


def test_missing_input(runner, tmp_path):
    r = runner.invoke(cli, ["analyze", str(tmp_path / "nope.txt")])
    assert r.exit_code == 1
    assert r.stderr.startswith("error: ")
    assert "Traceback" not in r.output


def test_max_bytes(runner, articles):
    r = runner.invoke(cli, ["analyze", str(articles / "d01.txt"), "--max-bytes", "10"])
    assert r.exit_code == 1
    assert "over the limit of 10 bytes" in r.stderr


@pytest.mark.parametrize(
    "args",
    [["--out", "x"], ["--published", "March 3"], ["--format", "xml"], ["--max-bytes", "0"]],
)
def test_usage_errors_exit_2(runner, articles, args):
    r = runner.invoke(cli, ["analyze", str(articles), *args])
    assert r.exit_code == 2


# ------------------------------------------------------------------ analyze, CLI logic (fake pipeline)
def test_pipeline_is_loaded_once_for_a_directory(runner, articles, fake_pipeline):
    r = runner.invoke(cli, ["analyze", str(articles)])
    assert r.exit_code == 0, r.output
    assert fake_pipeline.loads == 1
    assert len(fake_pipeline.seen) == 2


def test_published_and_outlet_options_override_the_header(runner, articles, fake_pipeline):
    r = runner.invoke(cli, ["analyze", str(articles / "d01.txt"), "--published", "2024-01-02",
                            "--outlet", "RIA Novosti"])
    assert r.exit_code == 0, r.output
    doc = fake_pipeline.seen[0]
    assert doc.published.isoformat() == "2024-01-02"
    assert doc.outlet == "RIA Novosti"


def test_table_content(runner, articles, fake_pipeline):
    r = runner.invoke(cli, ["analyze", str(articles / "d01.txt")])
    row = next(line for line in r.output.splitlines() if line.startswith("Russian Defense Ministry"))
    assert row.split()[:7] == ["Russian", "Defense", "Ministry", "[RU]", "controls", "RU", "Kupiansk"]
    assert "2025-03-03" in row
    assert "places: Kupiansk (settlement)" in r.output
    assert "(no claims)" in runner.invoke(cli, ["analyze", str(articles / "d02.txt")]).output


def test_a_failing_analysis_does_not_stop_the_batch(runner, articles, fake_pipeline, tmp_path):
    (articles / "d00.txt").write_text("BOOM near Kupiansk", encoding="utf-8")
    out = tmp_path / "out"
    r = runner.invoke(cli, ["analyze", str(articles), "--format", "json", "--out", str(out)])
    assert r.exit_code == 1
    assert f"error: {articles / 'd00.txt'}: analysis failed (RuntimeError: kaboom)" in r.stderr
    assert sorted(p.name for p in out.iterdir()) == ["d01.json", "d02.json"]


def test_json_format_has_mentions_and_claim_details(runner, articles, fake_pipeline):
    r = runner.invoke(cli, ["analyze", str(articles / "d01.txt"), "--format", "json"])
    d = json.loads(r.output)
    assert d["mentions"][0]["place_id"] == "gn:703656"
    c = d["claims"][0]
    assert (c["status"], c["controller"], c["date_precision"]) == ("controls", "RU", "day")
    assert ARTICLE[c["evidence_span"][0]:c["evidence_span"][1]] == c["evidence"]


# ------------------------------------------------------------------ eval
def test_eval_gold_dir(runner, gold_dir, fake_pipeline):
    r = runner.invoke(cli, ["eval", str(gold_dir)])
    assert r.exit_code == 0, r.output
    assert r.output.splitlines() == [
        "articles 2",
        "places  P 1.000 R 0.667 F1 0.800 (gold 3)",
        "claims  P 0.500 R 0.333 F1 0.400 (gold 3); claimant 1.000 date 1.000",
    ]


def test_eval_json_and_per_article(runner, gold_dir, fake_pipeline):
    r = runner.invoke(cli, ["eval", str(gold_dir), "--json"])
    res = json.loads(r.output)
    assert res["claims"]["f1"] == 0.4 and res["articles"] == 2
    r = runner.invoke(cli, ["eval", str(gold_dir), "--per-article"])
    assert "a1: places F1 1.00  claims F1 1.00" in r.output
    assert "   missed (('name', 'kucherivka'), 'fighting', None, 'UA')" in r.output
    assert "   extra  (('id', 703656), 'controls', 'RU', 'RU')" in r.output


def test_eval_pred_dir(runner, gold_dir, tmp_path):
    pred = tmp_path / "pred"
    pred.mkdir()
    (pred / "a1.json").write_text((gold_dir / "a1.json").read_text())
    r = runner.invoke(cli, ["eval", str(gold_dir), "--pred", str(pred), "--json"])
    assert r.exit_code == 0, r.output
    res = json.loads(r.output)
    assert res["claims"]["precision"] == 1.0 and res["claims"]["recall"] == 0.333


def test_eval_errors(runner, gold_dir, tmp_path):
    r = runner.invoke(cli, ["eval", str(tmp_path / "nowhere")])
    assert r.exit_code == 1 and "error: " in r.stderr
    (gold_dir / "a1.json").write_text("{not json")
    r = runner.invoke(cli, ["eval", str(gold_dir), "--pred", str(gold_dir)])
    assert r.exit_code == 1
    assert f"error: {gold_dir / 'a1.json'}: invalid JSON" in r.stderr


# ------------------------------------------------------------------ gazetteer
UA_TXT = "\t".join([
    "99000001", "Zavtrashnivka", "Zavtrashnivka", "Zavtrashnovka,Завтрашнівка", "48.5", "37.9", "P", "PPL",
    "UA", "", "05", "", "", "", "120", "", "150", "Europe/Kyiv", "2024-01-01",
]) + "\n"


def test_gazetteer_add_then_lookup(runner, tmp_cache, tmp_path):
    f = tmp_path / "UA.txt"
    f.write_text(UA_TXT, encoding="utf-8")
    r = runner.invoke(cli, ["gazetteer", "add", str(f)])
    assert r.exit_code == 0, r.output
    assert r.output.startswith("added 1 place from")
    r = runner.invoke(cli, ["gazetteer", "add", str(f)])
    assert r.output.startswith("added 0 places")
    r = runner.invoke(cli, ["gazetteer", "lookup", "Zavtrashnovka", "--json"])
    assert r.exit_code == 0, r.output
    place = json.loads(r.output.splitlines()[0])
    assert (place["id"], place["geonameid"], place["lat"]) == ("gn:99000001", 99000001, 48.5)


def test_gazetteer_add_bad_file(runner, tmp_cache, tmp_path):
    f = tmp_path / "UA.txt"
    f.write_text("this is not a dump\n", encoding="utf-8")
    r = runner.invoke(cli, ["gazetteer", "add", str(f)])
    assert r.exit_code == 1
    assert r.stderr.startswith("error: ")
    r = runner.invoke(cli, ["gazetteer", "add", str(tmp_path / "missing.txt")])
    assert r.exit_code == 1


def test_gazetteer_lookup(runner):
    r = runner.invoke(cli, ["gazetteer", "lookup", "Kupyansk"])
    assert r.exit_code == 0, r.output
    assert "gn:703656" in r.output
    r = runner.invoke(cli, ["gazetteer", "lookup", "Qwxzplonk"])
    assert r.exit_code == 1
    assert "no place" in r.stderr
