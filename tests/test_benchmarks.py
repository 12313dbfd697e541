"""The benchmark script runs end to end on a tiny corpus (its figures are not asserted)."""

import importlib.util
import json
from pathlib import Path

BENCH = Path(__file__).resolve().parents[1] / "benchmarks" / "bench_pipeline.py"


def test_pipeline_benchmark_runs_and_reports(tmp_path, capsys):
    spec = importlib.util.spec_from_file_location("bench_pipeline", BENCH)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    out = tmp_path / "results.json"
    assert mod.main(["--articles", "12", "--no-cold-start", "--json", str(out)]) == 0
    result = json.loads(out.read_text())
    assert result["articles"] == 12 and result["pipeline"]["words_per_s"] > 0
    assert "pipeline / scan" in capsys.readouterr().out
