"""The benchmark script runs end to end on a tiny corpus (its figures are not asserted)."""

import importlib.util
import json
import sys
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


def test_ingest_benchmark_runs_and_reports(tmp_path, capsys):
    spec = importlib.util.spec_from_file_location("bench_ingest", BENCH.parent / "bench_ingest.py")
    mod = importlib.util.module_from_spec(spec)
    sys.modules["bench_ingest"] = mod  # its dataclass looks its module up
    spec.loader.exec_module(mod)
    out = tmp_path / "ingest.json"
    args = ["--articles", "20", "--analysis-sample", "5", "--db", str(tmp_path / "b.db"), "--json", str(out)]
    assert mod.main(args) == 0
    result = json.loads(out.read_text())
    assert result["documents"] == 20 and result["claims"] > 0 and result["overhead"] > 0
    assert "disputes query" in capsys.readouterr().out


def test_distributed_benchmark_runs_every_mode_and_reports_ratios(tmp_path, capsys):
    spec = importlib.util.spec_from_file_location("bench_distributed", BENCH.parent / "bench_distributed.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    out = tmp_path / "dist.json"
    assert mod.main(["--articles", "40", "--shards", "4", "--workers", "2", "--json", str(out)]) == 0
    result = json.loads(out.read_text())
    modes = result["modes"]
    assert set(modes) == {"local-1", "local-2", "dask-2", "dask-2-parquet", "load-parquet"}
    assert {m["documents"] for m in modes.values()} == {40}
    assert modes["local-1"]["ratio"] == 1.0 and all(m["peak_total_mb"] > 0 for m in modes.values())
    assert "relative to one process" in capsys.readouterr().out
