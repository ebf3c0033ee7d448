"""Every crafted bad file (:mod:`tests.etl.bad_files`) through the real ``planmap import``
command: a non-zero exit, a message naming the file (and row and column where they apply), no
traceback, nothing loaded, the run ended as rejected (or refused before any run), and the
importing process's peak memory under :data:`PEAK_MB`, measured per case in a forked child.

One test runs the whole corpus (about a minute) and reports every case that fails, so the
corpus runs once even when the suite is spread over several workers."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from geodata.db import connect
from geodata.settings import load_settings
from tests.etl.bad_files import Case, corpus
from tests.helpers import TEMPLATE, scratch_dir

# The import program itself (Python, pandas, the gazetteer, the place-name locator) takes about
# 140 MB on a two-row file; no rejected file may take it past this.
PEAK_MB = 300
ROOT = Path(__file__).resolve().parents[2]


def _problems(case: Case, result: dict, runs: list[dict]) -> list[str]:
    """What is wrong with how one case was handled (nothing, when it was refused plainly)."""
    output = result["output"]
    found = []
    if result["exit_code"] != case.exit_code:
        found.append(f"exit code {result['exit_code']}, expected {case.exit_code}")
    if "Traceback" in output:
        found.append("a traceback")
    found += [f"does not say {text!r}" for text in case.says if text not in output]
    if result["peak_mb"] >= PEAK_MB:
        found.append(f"peak memory {result['peak_mb']} MB")
    statuses = [r["status"] for r in runs]
    if statuses != ([] if case.run is None else [case.run]):
        found.append(f"runs {statuses}, expected {case.run}")
    if any(r["counts"].get("inserted", 0) for r in runs):
        found.append("rows inserted")
    return [f"{case.name}: {p}\n{output[-1500:]}" for p in found]


def test_the_corpus_is_broad() -> None:
    cases = corpus()
    assert len(cases) >= 40 and len({c.name for c in cases}) == len(cases)


def test_every_bad_file_is_refused_plainly(pg_cluster) -> None:  # noqa: ANN001 - session fixture
    name = f"bad_files_{os.getpid()}"
    pg_cluster.ensure_database(name, template=TEMPLATE)
    folder = scratch_dir("planmap-bad-files-")
    out = folder / "results.json"
    env = {**os.environ, "PLANMAP_DATABASE_URL": pg_cluster.url(name), "PLANMAP_DATA_DIR": str(folder / "data")}
    subprocess.run(
        [sys.executable, "-m", "tests.etl.bad_file_runner", str(folder), str(out)], cwd=ROOT, env=env, check=True
    )
    results = {r["name"]: r for r in json.loads(out.read_text(encoding="utf-8"))}
    print("\n| case | exit | peak MB | s |\n|---|---|---|---|")
    for r in results.values():
        print(f"| {r['name']} | {r['exit_code']} | {r['peak_mb']} | {r['seconds']} |")
    try:
        with connect(load_settings(database_url=pg_cluster.url(name))) as conn:
            problems = []
            for case in corpus():
                source = ", ".join(Path(f).name for f in case.files)
                runs = conn.execute(
                    "SELECT status, counts FROM import_runs WHERE source = %s ORDER BY id", [source]
                ).fetchall()
                problems += _problems(case, results[case.name], runs)
            for table in ("plan_items", "plans", "allocations", "overlap_pairs"):
                if conn.execute(f"SELECT count(*) AS n FROM {table}").fetchone()["n"]:
                    problems.append(f"rows were loaded into {table}")
            if conn.execute("SELECT count(*) AS n FROM import_runs WHERE status = 'running'").fetchone()["n"]:
                problems.append("a run was left running")
    finally:
        pg_cluster.drop_database(name)
    assert not problems, "\n\n".join(problems)
