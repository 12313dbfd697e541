"""Distributed runs on a real Dask LocalCluster (2 worker processes): the same claims as one
process, nothing lost or doubled when a worker is killed mid-run, reruns skip what is done."""

from __future__ import annotations

import os
import signal
import threading
import time

import pytest

from counterclaim.ingest import ingest
from counterclaim.parquet import list_parts, load_parts
from counterclaim.pipeline import Pipeline
from counterclaim.shards import DaskError, ReadOptions, Target, plan_shards, run_dask, run_shard
from counterclaim.sources import iter_sources
from counterclaim.store import Store
from counterclaim.synthetic import write_shards

distributed = pytest.importorskip("distributed", reason="dask.distributed is part of the dev install")


@pytest.fixture(scope="module")
def cluster():
    """Two worker processes, one thread each, as `counterclaim ingest --engine dask` starts."""
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=":0") as c, distributed.Client(c) as client:
        yield client


@pytest.fixture(scope="module")
def shards_dir(tmp_path_factory):
    d = tmp_path_factory.mktemp("shards")
    write_shards(d, 240, 6, seed=3, gzip_every=3)
    (d / "bad.jsonl").write_text('{"text": "x"}\n{not json\n{"html": 5}\n', encoding="utf-8")
    return d


@pytest.fixture(scope="module")
def baseline(shards_dir, tmp_path_factory):
    """The claims of a single-process ingest of the same shards."""
    url = f"sqlite:///{tmp_path_factory.mktemp('base') / 'one.db'}"
    with Store(url) as store:
        summary = ingest(iter_sources([str(shards_dir)]), store, Pipeline())
    assert summary.new == 241 and summary.failed == 2  # 240 articles + "x"; two bad lines
    return _claims(url)


def _claims(url):
    with Store(url) as s:
        rows = sorted((c.document_id, c.claim.evidence.start, c.claim.evidence.end, c.claim.place.id,
                       c.claim.status, c.claim.controller, c.claim.claimant, c.claim.claimant_side,
                       c.claim.percent, c.claim.date, c.outlet, c.outlet_side) for c in s.claims())
        return rows, s.count("documents")


# ----------------------------------------------------------------------------- planning


@pytest.mark.parametrize("files, per, expect", [
    (["a.jsonl", "b.warc.gz", "c.jsonl.gz"], 10, [["a.jsonl"], ["b.warc.gz"], ["c.jsonl.gz"]]),
    (["1.txt", "2.txt", "3.html", "4.txt"], 3, [["1.txt", "2.txt", "3.html"], ["4.txt"]]),
    (["1.txt", "b.jsonl", "c.txt"], 10, [["1.txt"], ["b.jsonl"], ["c.txt"]]),
])
def test_each_archive_is_a_shard_and_other_files_are_grouped(tmp_path, files, per, expect):
    for f in files:
        (tmp_path / f).write_text("x")
    shards = list(plan_shards([str(tmp_path)], files_per_shard=per))
    assert [[os.path.basename(s) for s in sh.specs] for sh in shards] == expect
    assert all(os.path.isabs(s) for sh in shards for s in sh.specs)
    again = list(plan_shards([str(tmp_path)], files_per_shard=per))
    assert [s.key for s in shards] == [s.key for s in again] and len({s.key for s in shards}) == len(shards)


def test_standard_input_cannot_be_a_shard():
    with pytest.raises(ValueError, match="standard input"):
        list(plan_shards(["-"]))


# ----------------------------------------------------------------------------- the store


def test_dask_run_stores_the_same_claims_as_one_process(cluster, shards_dir, baseline, store_url):
    errors = []
    summary = run_dask(plan_shards([str(shards_dir)]), store_url=store_url, client=cluster, batch_size=10,
                       on_error=lambda n, r: errors.append((n, r)))
    assert (summary.new, summary.failed, summary.failed_shards) == (241, 2, 0)
    assert summary.shards == 7 and summary.workers == 2
    assert _claims(store_url) == baseline
    assert sorted(n.rsplit(":", 1)[1] for n, _ in errors) == ["2", "3"]
    assert any("invalid JSON" in r for _, r in errors)
    with Store(store_url) as s:
        assert len(s.failures(summary.run_id)) == 2
        run = [r for r in s.runs() if r["id"] == summary.run_id][0]
        assert (run["new"], run["failed"]) == (241, 2) and run["finished_at"] is not None
    again = run_dask(plan_shards([str(shards_dir)]), store_url=store_url, client=cluster)
    assert (again.new, again.duplicates) == (0, 241)
    assert _claims(store_url) == baseline


def test_a_worker_killed_mid_run_loses_and_doubles_nothing(shards_dir, baseline, store_url):
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=":0") as c, distributed.Client(c) as client:
        killed = _kill_a_busy_worker_once(client, lambda: _count(store_url) >= 20)
        summary = run_dask(plan_shards([str(shards_dir)]), store_url=store_url, client=client, batch_size=5)
        assert killed.wait(0) and killed.pid, "no worker was killed mid-run"
    assert summary.failed_shards == 0 and summary.new == 241
    assert summary.new + summary.duplicates + summary.failed == 243  # the retried shard's stored docs
    assert _claims(store_url) == baseline


def _count(url):
    with Store(url) as s:
        return s.count("documents")


def _kill_a_busy_worker_once(client, ready):
    """In a thread: once `ready()`, SIGKILL the process of a worker that is running a shard."""
    done = threading.Event()
    done.pid = None
    pids = client.run(os.getpid)

    def watch():
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            busy = [w for w, tasks in client.processing().items() if tasks]
            if busy and ready():
                done.pid = pids[busy[0]]
                os.kill(done.pid, signal.SIGKILL)
                break
            time.sleep(0.02)
        done.set()

    threading.Thread(target=watch, daemon=True).start()
    return done


# ----------------------------------------------------------------------------- Parquet


def test_dask_run_to_parquet_loads_to_the_same_claims(cluster, shards_dir, baseline, tmp_path):
    out = tmp_path / "out"
    summary = run_dask(plan_shards([str(shards_dir)]), out_dir=out, client=cluster, batch_size=10)
    assert (summary.new, summary.failed, summary.failed_shards) == (241, 2, 0)
    assert len(list_parts(out)) == 7 and summary.run_id is None
    url = f"sqlite:///{tmp_path / 'loaded.db'}"
    with Store(url) as store:
        loaded = load_parts(list_parts(out), store)
    assert (loaded.new, loaded.failures) == (241, 2)
    assert _claims(url) == baseline
    again = run_dask(plan_shards([str(shards_dir)]), out_dir=out, client=cluster)
    assert again.skipped == 7 and again.new == 0


def test_a_changed_shard_is_done_again(cluster, tmp_path):
    src, out = tmp_path / "src", tmp_path / "out"
    paths = write_shards(src, 20, 2, seed=9)
    run_dask(plan_shards([str(src)]), out_dir=out, client=cluster)
    with paths[0].open("a", encoding="utf-8") as fh:
        fh.write('{"text": "Russian forces captured Pokrovsk, the ministry said."}\n')
    again = run_dask(plan_shards([str(src)]), out_dir=out, client=cluster)
    assert (again.skipped, again.new) == (1, 11)


def test_a_worker_killed_mid_run_leaves_whole_parts_only(shards_dir, baseline, tmp_path):
    out = tmp_path / "out"
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=":0") as c, distributed.Client(c) as client:
        killed = _kill_a_busy_worker_once(client, lambda: len(list((out / "_parts").glob("*.json"))) >= 1)
        summary = run_dask(plan_shards([str(shards_dir)]), out_dir=out, client=client)
        assert killed.wait(0) and killed.pid
    assert summary.failed_shards == 0 and summary.new + summary.duplicates == 241
    url = f"sqlite:///{tmp_path / 'loaded.db'}"
    with Store(url) as store:
        assert load_parts(list_parts(out), store).new == 241
    assert _claims(url) == baseline


# ----------------------------------------------------------------------------- failures


def test_an_unreadable_shard_is_reported_and_the_run_goes_on(cluster, tmp_path):
    src = tmp_path / "src"
    write_shards(src, 10, 1, seed=4)
    (src / "broken.jsonl.gz").write_bytes(b"these bytes are not gzip")
    errors = []
    summary = run_dask(plan_shards([str(src)]), out_dir=tmp_path / "out", client=cluster,
                       on_error=lambda n, r: errors.append((n, r)))
    assert (summary.new, summary.failed, summary.failed_shards) == (10, 1, 0)
    assert [n for n, _ in errors] == [str(src / "broken.jsonl.gz")]


def test_workers_running_another_version_are_refused(cluster, tmp_path, monkeypatch):
    import counterclaim.shards as shards

    monkeypatch.setattr(shards, "worker_info", lambda: {"counterclaim": "0.0.0", "extractor": "x"})
    with pytest.raises(DaskError, match="install the same version"):
        run_dask([], out_dir=tmp_path, client=cluster)


def test_an_unreachable_scheduler_is_a_clear_error(tmp_path):
    with pytest.raises(DaskError, match="cannot reach the Dask scheduler at tcp://127.0.0.1:9"):
        run_dask([], out_dir=tmp_path, scheduler="tcp://127.0.0.1:9", connect_timeout=2)


def test_run_shard_runs_in_process_too(tmp_path):
    src = tmp_path / "src"
    write_shards(src, 5, 1, seed=2)
    (shard,) = plan_shards([str(src)])
    result = run_shard(shard, Target(out_dir=str(tmp_path / "out")), ReadOptions())
    assert (result.new, result.failed, result.skipped) == (5, 0, False)
    assert run_shard(shard, Target(out_dir=str(tmp_path / "out")), ReadOptions()).skipped


def test_running_shards_report_progress_before_they_finish(cluster, tmp_path):
    src = tmp_path / "src"
    write_shards(src, 400, 1, seed=6)  # one shard of a few seconds
    seen = []
    summary = run_dask(plan_shards([str(src)]), out_dir=tmp_path / "out", client=cluster,
                       progress=lambda s: seen.append((s.shards, s.seen_so_far)))
    assert summary.new == 400
    assert any(done == 0 and 0 < n < 400 for done, n in seen), seen  # counts from the running shard
    assert seen[-1] == (1, 400)


def test_the_cli_runs_on_an_existing_cluster_by_its_address(cluster, shards_dir, baseline, tmp_path):
    from click.testing import CliRunner

    from counterclaim.cli import cli

    address = cluster.scheduler.address  # tcp://127.0.0.1:PORT
    out, url = tmp_path / "out", f"sqlite:///{tmp_path / 'loaded.db'}"
    r = CliRunner().invoke(cli, ["ingest", str(shards_dir), "--scheduler", address, "--out", str(out), "-q"])
    assert r.exit_code == 1, r.output  # the two bad lines of bad.jsonl
    assert "241 new, 0 duplicates, 2 failed" in r.output and "7 shards on 2 workers" in r.output
    assert CliRunner().invoke(cli, ["load", str(out), "--db", url, "-q"]).exit_code == 0
    assert _claims(url) == baseline
