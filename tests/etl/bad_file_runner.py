"""Runs ``planmap import`` on each case of :mod:`tests.etl.bad_files`, one forked child per
case, and writes what each did: exit code, output and peak memory (the child's own maximum
resident set, from ``wait4``). Run as ``python -m tests.etl.bad_file_runner FOLDER OUT.json``
with ``PLANMAP_DATABASE_URL`` set; the parent imports the program once, so each child starts
warm and its peak is that of a real ``planmap import`` process.
"""

from __future__ import annotations

import json
import os
import signal
import sys
import time
import traceback
from pathlib import Path

import etl.cli  # noqa: F401 - imported once in the parent, so every child starts warm
from geodata.cli import main
from tests.etl.bad_files import build

TIME_LIMIT = 120  # seconds per case: a hang (a FIFO read) ends as a failure, not a stuck suite


def run_case(args: list[str], log: Path) -> tuple[int, int, float]:
    """(exit code, peak resident KB, seconds) of one ``planmap`` invocation in a child."""
    started = time.monotonic()
    pid = os.fork()
    if pid == 0:  # the child: becomes `planmap ARGS` with its output in the log
        code = 70
        try:
            fd = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
            os.dup2(fd, 1)
            os.dup2(fd, 2)
            signal.alarm(TIME_LIMIT)
            main(args=args, prog_name="planmap")
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        except BaseException:  # noqa: BLE001 - a traceback is itself the finding
            traceback.print_exc()
            code = 99
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(code)
    _, status, usage = os.wait4(pid, 0)
    return os.waitstatus_to_exitcode(status), usage.ru_maxrss, time.monotonic() - started


def main_(folder: Path, out: Path) -> None:
    results = []
    for case in build(folder):
        log = folder / f"{case.name}.log"
        code, peak_kb, seconds = run_case(case.args(folder / "in"), log)
        results.append(
            {
                "name": case.name,
                "exit_code": code,
                "peak_mb": round(peak_kb / 1024, 1),
                "seconds": round(seconds, 2),
                "output": log.read_text(encoding="utf-8", errors="replace"),
            }
        )
    out.write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main_(Path(sys.argv[1]), Path(sys.argv[2]))
