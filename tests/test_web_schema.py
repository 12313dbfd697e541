"""Property-based tests of the whole API from its OpenAPI schema (schemathesis 4.x, the `st`
CLI) against a real server: no generated request may get a server error (5xx).

Two bounded runs (at most 25 cases per operation, about 40 s in all): every operation with
generated values, then the operations that take an id with ids that exist in the store, so
that fuzzing reaches past the 404. The server has a write token and its own store, so that
POST /api/analyze is exercised too (generated `url` values are not http(s) URLs in practice;
the API refuses any other scheme before fetching).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from web_fixtures import TOKEN, build_store, run_server

ST = shutil.which("st", path=str(Path(sys.executable).parent)) or shutil.which("st")
ID_OPERATIONS = ["/api/documents/{doc_id}", "/api/places/{place_id}", "/api/timeline/{place}",
                 "/api/timeline/{place}.svg"]


@pytest.fixture(scope="module")
def fuzz_server(tmp_path_factory):
    db = build_store(tmp_path_factory.mktemp("fuzz") / "fuzz.db")
    yield from run_server(db, token=TOKEN)


def st_run(base: str, workdir: Path, *extra: str, config: str | None = None) -> subprocess.CompletedProcess:
    if ST is None:
        pytest.fail("the schemathesis CLI `st` is not installed (pip install schemathesis)")
    args = [ST]
    if config is not None:
        path = workdir / "schemathesis.toml"
        path.write_text(config, encoding="utf-8")
        args += ["--config-file", str(path)]
    args += ["run", f"{base}/openapi.json", "--checks", "not_a_server_error", "--seed", "20250305",
             "--generation-database", "none", "--no-color", "--request-timeout", "30", "--workers", "4",
             "-H", f"Authorization: Bearer {TOKEN}", *extra]
    env = {**os.environ, "NO_COLOR": "1"}
    for _attempt in range(3):
        proc = subprocess.run(args, capture_output=True, text=True, cwd=workdir, timeout=240, env=env)
        # CPython 3.11.7 sometimes raises this SystemError inside the fuzzer's own code
        # generation (python/cpython#106905, fixed in 3.11.8): the client crashed, the server
        # was not at fault, so the same seeded run is made again; any other failure counts.
        if proc.returncode == 0 or _INTERPRETER_BUG not in proc.stdout + proc.stderr:
            return proc
    return proc


_INTERPRETER_BUG = "AST constructor recursion depth mismatch"


def _report(proc: subprocess.CompletedProcess) -> str:
    return f"exit {proc.returncode}\n{proc.stdout[-8000:]}\n{proc.stderr[-3000:]}"


def test_no_server_error_on_any_generated_request(fuzz_server, tmp_path):
    # the coverage phase trips python/cpython#106905 on 3.11.7 inside hypothesis (a SystemError
    # in its lambda pretty-printer, deterministic for a given schema); fuzzing covers the API
    phases = "examples,fuzzing" if sys.version_info[:3] == (3, 11, 7) else "coverage,fuzzing"
    proc = st_run(fuzz_server.url, tmp_path, "--max-examples", "25", "--phases", phases)
    assert proc.returncode == 0, _report(proc)
    assert "14 selected" in proc.stdout, _report(proc)  # every operation was tested


def test_no_server_error_with_existing_ids(fuzz_server, tmp_path):
    import httpx

    doc_id = httpx.get(f"{fuzz_server.url}/api/documents").json()["items"][0]["id"]
    config = (
        '[[operations]]\ninclude-path = "/api/documents/{doc_id}"\n'
        f'parameters = {{ "path.doc_id" = "{doc_id}" }}\n'
        '[[operations]]\ninclude-path = "/api/places/{place_id}"\n'
        'parameters = { "path.place_id" = "gn:703656" }\n'
        '[[operations]]\ninclude-path-regex = "^/api/timeline/"\n'
        'parameters = { "path.place" = "Kupiansk" }\n'
    )
    include = [x for p in ID_OPERATIONS for x in ("--include-path", p)]
    proc = st_run(fuzz_server.url, tmp_path, "--max-examples", "10", "--phases", "fuzzing", *include,
                  config=config)
    assert proc.returncode == 0, _report(proc)
    assert "4 selected" in proc.stdout, _report(proc)
