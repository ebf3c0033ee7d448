"""Load benchmark of the production server under concurrent users (a script, not a test).

Starts ``planmap serve`` (gunicorn, anonymous reading on) on a free port, then runs N simulated
users at once for ``--seconds`` each run (10 users, then 50), and prints for each run the
requests per second, p50/p95/p99 latency, errors, shed exports and the server's memory; then the
50-user figures as ratios to the 10-user run of the same invocation (machines are noisy).

    # the bench cluster, with the national demo on real boundaries (loaded when missing)
    PLANMAP_DATA_DIR=/tmp/pm-bench PLANMAP_PG_PORT=54410 \\
        .venv/bin/python -m tests.benchmarks.bench_load --load --boundaries ../shared/data/boundaries

The database is PLANMAP_DATABASE_URL, or the private cluster of PLANMAP_DATA_DIR/PLANMAP_PG_PORT
(started here if it is stopped, and stopped again at the end). ``--url`` measures a server that
is already running instead (``--pid``: its master, for the memory figure).

What one simulated user does, as a browser on the page does, one request at a time:

- a visit: GET the page (``/`` or ``/?area=<province>``, half each), GET ``/_dash-layout`` and
  ``/_dash-dependencies``, then POST to ``/_dash-update-component`` every callback the browser
  fires on load (those whose inputs and outputs are in the anonymous reader's layout), with the
  values of the layout, then again those whose inputs the answers changed (the URL made
  canonical, the database poll's store), then GET the geometry files the map names;
- drill-downs: a click on a random area of the map (the navigation callback with
  ``map.clickData``), the callbacks the new URL fires, the geometry of the new map; down to a
  tambon's villages, leaving for a new visit with probability 1/5 at each step;
- the database poll (the status callback, ``retry.n_intervals``) every 8 s, as the page's timer;
- one request in 20 is an export: a CSV of the ranking, the items or the allocations of the
  view on screen (``/_planmap/export/<kind>.csv?<the URL's query>``).

Think time: a random 0.5-1.0 s (uniform) after every request. A visit is a new visitor: the
geometry files are fetched once per visit (the browser's cache), the page's scripts are not
fetched at all (static files). Every request's latency counts, failed or not. An error is an
answer outside 2xx (redirects are not followed), an exception (refused, reset, 60 s timeout), or
an answer that says the database is down (``dashboard.i18n`` ``db_down``, the pool's 2-second
timeout). A 429 from the export route (its queue full) is counted apart as shed, not as an error.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from dashboard.i18n import LABELS  # noqa: E402
from geodata.settings import Settings, load_settings  # noqa: E402

THINK = (0.5, 1.0)  # seconds after every request, uniform
EXPORT_SHARE = 1 / 20  # of all requests
POLL_S = 8.0  # the page's database poll (dashboard.shell.POLL_MS)
LEAVE = 0.2  # chance of leaving for a new visit instead of drilling further
TIMEOUT = 60.0  # seconds a request may take before it counts as an error
EXPORT_KINDS = ("ranking", "items", "allocations")
GEO_MARK = "/_planmap/geo/"
# "database down" as the pages say it: Thai and English, as written and as JSON escapes it
DB_DOWN = tuple({s.encode() for text in LABELS["db_down"] for s in (text, json.dumps(text)[1:-1])})
PLANMAP = Path(sys.executable).with_name("planmap")


# --------------------------------------------------------------------------- the page


def _spec(text: str) -> tuple[str, str]:
    component, _, prop = text.rpartition(".")
    return component, prop


@dataclass(frozen=True)
class Callback:
    """One callback as ``/_dash-dependencies`` lists it."""

    output: str
    outputs: tuple[tuple[str, str], ...]
    inputs: tuple[tuple[str, str], ...]
    state: tuple[tuple[str, str], ...]

    @property
    def name(self) -> str:
        return self.outputs[0][0]

    @property
    def multi(self) -> bool:
        return self.output.startswith("..")

    def body(self, values: dict[tuple[str, str], Any], changed: set[tuple[str, str]]) -> dict:
        """The POST body the browser sends, with the page's current ``values``."""
        outputs = [{"id": i, "property": p} for i, p in self.outputs]
        return {
            "output": self.output,
            "outputs": outputs if self.multi else outputs[0],
            "inputs": [{"id": i, "property": p, "value": values.get((i, p))} for i, p in self.inputs],
            "changedPropIds": [f"{i}.{p}" for i, p in self.inputs if (i, p) in changed],
            "state": [{"id": i, "property": p, "value": values.get((i, p))} for i, p in self.state],
        }


def _components(node: Any) -> Iterator[dict]:
    """Every component of a layout's JSON."""
    if isinstance(node, list):
        for child in node:
            yield from _components(child)
    elif isinstance(node, dict):
        props = node.get("props")
        if isinstance(props, dict) and "type" in node:
            yield props
            for value in props.values():
                yield from _components(value)


@dataclass(frozen=True)
class Page:
    """What the browser knows after loading the page: the initial values of the layout's
    components, and the callbacks it fires (every input and output in the layout, no
    pattern-matching id: the anonymous reader's page has no such component)."""

    initial: dict[tuple[str, str], Any]
    callbacks: tuple[Callback, ...]

    @classmethod
    def read(cls, layout: Any, dependencies: list[dict]) -> Page:
        initial: dict[tuple[str, str], Any] = {}
        present: set[str] = set()
        for props in _components(layout):
            if isinstance(props.get("id"), str):
                present.add(props["id"])
                for prop, value in props.items():
                    if prop not in ("id", "children"):
                        initial[(props["id"], prop)] = value
        callbacks = []
        for dep in dependencies:
            output = dep["output"]
            outputs = tuple(_spec(o) for o in (output[2:-2].split("...") if output.startswith("..") else [output]))
            inputs = tuple((i["id"], i["property"]) for i in dep["inputs"])
            state = tuple((s["id"], s["property"]) for s in dep["state"])
            used = {i for i, _ in outputs + inputs + state}
            if dep.get("prevent_initial_call") or not used <= present:
                continue
            callbacks.append(Callback(output, outputs, inputs, state))
        return cls(initial, tuple(callbacks))

    def by_input(self, prop: tuple[str, str]) -> list[Callback]:
        return [cb for cb in self.callbacks if prop in cb.inputs]


# --------------------------------------------------------------------------- one user


@dataclass(frozen=True)
class Sample:
    kind: str
    started: float
    ms: float
    outcome: str  # ok, error, shed
    why: str = ""


class Stop(Exception):
    """The run's time is up."""


@dataclass
class User:
    """One simulated browser user; ``samples`` is shared by every user of a run."""

    base: str
    page: Page
    samples: list[Sample]
    deadline: float
    rng: random.Random
    provinces: list[str]  # shared: the province codes any national map showed
    session: requests.Session = field(default_factory=requests.Session)
    values: dict[tuple[str, str], Any] = field(default_factory=dict)
    fetched: set[str] = field(default_factory=set)
    polls: int = 0
    last_poll: float = 0.0

    # ------------------------------------------------------------------ requests

    def _send(self, kind: str, method: str, path: str, body: dict | None = None) -> requests.Response | None:
        """One request, recorded, then the think time. Raises Stop once the run is over."""
        if time.monotonic() >= self.deadline:
            raise Stop
        started = time.monotonic()
        response, outcome, why = None, "ok", ""
        try:
            response = self.session.request(method, self.base + path, json=body, timeout=TIMEOUT, allow_redirects=False)
            status = response.status_code
            if status == 429 and kind == "export":
                outcome, why = "shed", "429"
            elif not 200 <= status < 300:
                outcome, why = "error", f"HTTP {status}"
            elif any(text in response.content for text in DB_DOWN):  # bytes: no charset guessing
                outcome, why = "error", "database down"
        except requests.RequestException as exc:
            outcome, why = "error", type(exc).__name__
        self.samples.append(Sample(kind, started, (time.monotonic() - started) * 1000, outcome, why))
        think = self.rng.uniform(*THINK)
        time.sleep(max(0.0, min(think, self.deadline - time.monotonic())))
        return response if outcome == "ok" else None

    def request(self, kind: str, method: str, path: str, body: dict | None = None) -> requests.Response | None:
        """A request of the visit, after the page's timer and the user's export when they are due."""
        if self.values and time.monotonic() - self.last_poll >= POLL_S:
            self.poll()
        if self.rng.random() < EXPORT_SHARE / (1 - EXPORT_SHARE):  # so that exports are 1 in 20 of all
            export = self.rng.choice(EXPORT_KINDS)
            self._send("export", "GET", f"/_planmap/export/{export}.csv{self.values.get(('url', 'search')) or ''}")
        return self._send(kind, method, path, body)

    def call(self, cb: Callback, changed: set[tuple[str, str]], *, timer: bool = False) -> set[tuple[str, str]]:
        """POST one callback; the properties its answer set (now in ``values``)."""
        send = self._send if timer else self.request
        response = send(f"callback {cb.name}", "POST", "/_dash-update-component", cb.body(self.values, changed))
        if response is None or response.status_code != 200:
            return set()
        out: set[tuple[str, str]] = set()
        for component, props in response.json().get("response", {}).items():
            for prop, value in props.items():
                self.values[(component, prop)] = value
                out.add((component, prop))
        return out

    def cascade(self, todo: list[Callback], changed: set[tuple[str, str]]) -> None:
        """Post ``todo``, then the callbacks whose inputs their answers set, and so on, as Dash's
        renderer does (a callback is not fired again by its own outputs)."""
        for _ in range(4):
            if not todo:
                return
            produced: dict[tuple[str, str], set[Callback]] = {}
            for cb in todo:
                for prop in self.call(cb, changed):
                    produced.setdefault(prop, set()).add(cb)
            changed, todo = set(produced), self._triggered(produced)

    def _triggered(self, produced: dict[tuple[str, str], set[Callback]]) -> list[Callback]:
        return [cb for cb in self.page.callbacks if any(produced.get(p, set()) - {cb} for p in cb.inputs)]

    def poll(self) -> None:
        """The page's timer: the database poll (and what a changed data version fires)."""
        self.last_poll = time.monotonic()
        self.polls += 1
        tick = ("retry", "n_intervals")
        self.values[tick] = self.polls
        produced = {p: {cb} for cb in self.page.by_input(tick) for p in self.call(cb, {tick}, timer=True)}
        self.cascade(self._triggered(produced), set(produced))

    # ------------------------------------------------------------------ the map

    def _traces(self) -> list[dict]:
        figure = self.values.get(("map", "figure"))
        return figure.get("data", []) if isinstance(figure, dict) else []

    def geometry(self) -> None:
        """The geometry files the map names, each once per visit (the browser's cache)."""
        for trace in self._traces():
            for value in trace.values():
                if isinstance(value, str) and GEO_MARK in value:
                    path = value[value.index(GEO_MARK) :]
                    if path not in self.fetched:
                        self.fetched.add(path)
                        self.request("geometry", "GET", path)

    def clickable(self) -> list[str]:
        """The areas of the map (none on a tambon's village map: that is the bottom)."""
        traces = self._traces()
        if any(t.get("type") != "choroplethmap" for t in traces):
            return []
        return [code for t in traces for code in t.get("locations") or [] if isinstance(code, str)]

    # ------------------------------------------------------------------ the visit

    def visit(self) -> None:
        """A new visitor: the page, its callbacks, its map; then drill-downs by map clicks."""
        search = f"?area={self.rng.choice(self.provinces)}" if self.provinces and self.rng.random() < 0.5 else ""
        self.values = dict(self.page.initial)
        self.values[("url", "search")] = search  # dcc.Location reads it from the address bar
        self.fetched = set()
        self.last_poll = time.monotonic()  # the page's timer starts with the page
        self.request("page", "GET", "/" + search)
        self.request("layout", "GET", "/_dash-layout")
        self.request("dependencies", "GET", "/_dash-dependencies")
        self.cascade(list(self.page.callbacks), set())
        self.geometry()
        if not search and not self.provinces and (codes := self.clickable()):
            self.provinces.extend(sorted(set(codes)))
        click = ("map", "clickData")
        while (codes := self.clickable()) and self.rng.random() >= LEAVE:
            self.values[click] = {"points": [{"location": self.rng.choice(codes)}]}
            produced = {p: {cb} for cb in self.page.by_input(click) for p in self.call(cb, {click})}
            if ("url", "search") not in produced:
                return
            self.cascade(self._triggered(produced), set(produced))
            self.geometry()

    def run(self) -> None:
        time.sleep(self.rng.uniform(0, THINK[1]))  # users do not all start in the same instant
        try:
            while time.monotonic() < self.deadline:
                try:
                    self.visit()
                except (ValueError, KeyError, TypeError, AttributeError) as exc:  # an answer not as expected
                    self.samples.append(
                        Sample("client", time.monotonic(), 0.0, "error", f"{type(exc).__name__}: {exc}")
                    )
        except Stop:
            pass
        finally:
            self.session.close()


# --------------------------------------------------------------------------- a run


def _percentile(values: Sequence[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    k = (len(ordered) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


@dataclass(frozen=True)
class Result:
    users: int
    start: float
    seconds: float
    samples: list[Sample]
    rss_mb: float | None
    pss_mb: float | None
    client_cpu_s: float

    @property
    def completed(self) -> int:
        """Requests that finished within the run's time (the throughput's numerator)."""
        end = self.start + self.seconds
        return sum(1 for s in self.samples if s.started + s.ms / 1000 <= end)

    @property
    def rate(self) -> float:
        return self.completed / self.seconds

    def p(self, q: float) -> float:
        return _percentile([s.ms for s in self.samples], q)

    def count(self, outcome: str) -> int:
        return sum(1 for s in self.samples if s.outcome == outcome)

    def share(self, outcome: str) -> float:
        return 100 * self.count(outcome) / len(self.samples) if self.samples else 0.0

    def summary(self) -> str:
        memory = "n/a" if self.rss_mb is None else f"{self.rss_mb:.0f} MB (PSS {self.pss_mb:.0f} MB)"
        return (
            f"{self.users} users: {self.rate:.1f} requests/s, p50 {self.p(0.5):.0f} ms, p95 {self.p(0.95):.0f} ms,"
            f" p99 {self.p(0.99):.0f} ms, errors {self.count('error')} ({self.share('error'):.2f}%),"
            f" shed {self.count('shed')} ({self.share('shed'):.2f}%), server RSS {memory}"
        )

    def breakdown(self) -> list[str]:
        """Per kind of request: how many, p50/p95, errors; then why the errors."""
        kinds: dict[str, list[Sample]] = {}
        for s in self.samples:
            kinds.setdefault(s.kind, []).append(s)
        lines = [
            f"    {'request':<28} {'count':>6} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'errors':>6} {'shed':>5}"
        ]
        for kind, group in sorted(kinds.items(), key=lambda kv: -len(kv[1])):
            ms = [s.ms for s in group]
            lines.append(
                f"    {kind:<28} {len(group):>6} {_percentile(ms, 0.5):>8.0f} {_percentile(ms, 0.95):>8.0f}"
                f" {max(ms):>8.0f} {sum(s.outcome == 'error' for s in group):>6}"
                f" {sum(s.outcome == 'shed' for s in group):>5}"
            )
        why = Counter(f"{s.kind}: {s.why}" for s in self.samples if s.outcome == "error")
        if why:
            lines.append("    errors: " + "; ".join(f"{k} ×{n}" for k, n in why.most_common(8)))
        return lines


def run_users(base: str, page: Page, users: int, seconds: float, seed: int) -> tuple[float, list[Sample]]:
    """``users`` users for ``seconds``: when they started, and every request they made (each
    started within the time)."""
    samples: list[Sample] = []
    provinces: list[str] = []
    start = time.monotonic()
    deadline = start + seconds
    threads = [
        threading.Thread(
            target=User(base, page, samples, deadline, random.Random(seed * 1000 + n), provinces).run,
            name=f"user-{n}",
            daemon=True,
        )
        for n in range(users)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=seconds + TIMEOUT + 30)
    return start, sorted(samples, key=lambda s: s.started)


def read_page(base: str) -> Page:
    with requests.Session() as session:
        layout = session.get(base + "/_dash-layout", timeout=TIMEOUT)
        dependencies = session.get(base + "/_dash-dependencies", timeout=TIMEOUT)
    for response in (layout, dependencies):
        if response.status_code != 200:
            raise SystemExit(f"{response.url}: HTTP {response.status_code} (anonymous reading off?)")
    return Page.read(layout.json(), dependencies.json())


# --------------------------------------------------------------------------- the server


def _tree(pid: int) -> list[int]:
    """``pid`` and every process below it (gunicorn's workers, their export renderers)."""
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        with contextlib.suppress(OSError):
            for task in Path(f"/proc/{current}/task").iterdir():
                todo.extend(int(child) for child in (task / "children").read_text().split())
    return found


def server_memory(pid: int) -> tuple[float, float]:
    """The summed VmRSS and PSS (MB) of ``pid``'s process tree. RSS counts the pages the forked
    workers share once per process; PSS splits them."""
    rss = pss = 0
    for process in _tree(pid):
        with contextlib.suppress(OSError):
            for line in Path(f"/proc/{process}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    rss += int(line.split()[1])
            for line in Path(f"/proc/{process}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    pss += int(line.split()[1])
    return rss / 1024, pss / 1024


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def server_env(settings: Settings, port: int, workers: int, threads: int) -> dict[str, str]:
    """The environment of ``planmap serve`` over ``settings``' database."""
    env = {
        **os.environ,
        "PLANMAP_ANONYMOUS_READ": "true",
        "PLANMAP_PORT": str(port),
        "PLANMAP_WORKERS": str(workers),
        "PLANMAP_THREADS": str(threads),
    }
    if settings.database_url:
        env["PLANMAP_DATABASE_URL"] = settings.database_url
        if settings.web_database_url:
            env["PLANMAP_WEB_DATABASE_URL"] = settings.web_database_url
    else:
        env.pop("PLANMAP_DATABASE_URL", None)
        env.update(
            PLANMAP_DATA_DIR=str(settings.data_dir),
            PLANMAP_PG_PORT=str(settings.pg_port),
            PLANMAP_DB_NAME=settings.db_name,
        )
    return env


@contextlib.contextmanager
def planmap_serve(settings: Settings, workers: int, threads: int) -> Iterator[tuple[str, int, Path]]:
    """``planmap serve`` on a free port until it answers: (its URL, its pid, its log); stopped with
    TERM at the end. The access log goes to a file (a pipe nobody reads would stall it)."""
    port = _free_port()
    log = Path(tempfile.mkstemp(prefix="planmap-bench-serve-", suffix=".log")[1])
    with log.open("w") as out:
        process = subprocess.Popen(
            [str(PLANMAP), "serve", "--host", "127.0.0.1", "--port", str(port)],
            env=server_env(settings, port, workers, threads),
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            if process.poll() is not None:
                raise SystemExit(f"planmap serve exited ({process.returncode}):\n{log.read_text()[-3000:]}")
            with contextlib.suppress(requests.RequestException):
                if requests.get(base + "/", timeout=10, allow_redirects=False).status_code == 200:
                    break
            if time.monotonic() > deadline:
                raise SystemExit(f"planmap serve did not answer in 120 s:\n{log.read_text()[-3000:]}")
            time.sleep(0.25)
        yield base, process.pid, log
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=40)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def log_problems(log: Path) -> list[str]:
    """Lines of the server's log that say something went wrong (not the access log's)."""
    marks = ("Traceback", "[ERROR]", "[CRITICAL]", "WORKER TIMEOUT", "out of memory")
    return [line.rstrip() for line in log.read_text(errors="replace").splitlines() if any(m in line for m in marks)]


# --------------------------------------------------------------------------- the database


@contextlib.contextmanager
def database(settings: Settings, load: bool, boundaries: Path | None, min_items: int) -> Iterator[str]:
    """The private cluster running (started if stopped, then stopped again), the national demo
    loaded when ``load`` and missing (as ``bench_dashboard --load``); yields what it holds."""
    from geodata.db import connect
    from geodata.pgcluster import PrivateCluster
    from geodata.prepare import prepare_database

    started = False
    if settings.private and not PrivateCluster(settings).status().running:
        print(PrivateCluster(settings).start())
        started = True
    try:
        with connect(settings) as conn:
            if load or started:
                prepare_database(conn, settings)  # what `planmap db start` does after starting
            n = conn.execute("SELECT count(*) AS n FROM plan_items").fetchone()["n"]
            if load and n < min_items:
                from etl.demo_load import load_demo
                from etl.geoload import load_boundaries

                if boundaries:
                    print(load_boundaries(conn, [boundaries]).describe())
                print(load_demo(conn, "national").describe())
            conn.commit()
            stats = conn.execute(
                "SELECT (SELECT count(*) FROM plan_items) AS items, (SELECT count(*) FROM allocations) AS allocations,"
                " (SELECT string_agg(DISTINCT source, ',') FROM area_web_geom) AS geometry"
            ).fetchone()
        said = f"{stats['items']:,} plan items, {stats['allocations']:,} allocations, geometry: {stats['geometry']}"
        if stats["items"] < min_items:
            said += f" (not the national demo: fewer than {min_items:,} items; --load loads it)"
        yield said
    finally:
        if started:
            print(PrivateCluster(settings).stop())


# --------------------------------------------------------------------------- main


def measure(base: str, pid: int | None, users: Sequence[int], seconds: float, warmup: float, seed: int) -> list[Result]:
    page = read_page(base)
    print(f"page: {len(page.callbacks)} callbacks fired on load (" + ", ".join(cb.name for cb in page.callbacks) + ")")
    if warmup > 0:
        run_users(base, page, min(users), warmup, seed + 999)
        print(f"warm-up: {min(users)} users for {warmup:g} s (not counted)")
    results = []
    for n in users:
        cpu = time.process_time()
        start, samples = run_users(base, page, n, seconds, seed)
        rss, pss = server_memory(pid) if pid else (None, None)
        result = Result(n, start, seconds, samples, rss, pss, time.process_time() - cpu)
        results.append(result)
        print(result.summary())
        print(f"    {len(samples)} requests; load generator CPU {result.client_cpu_s:.1f} s in {seconds:g} s")
        print("\n".join(result.breakdown()))
    return results


def main(argv: Sequence[str] | None = None, settings: Settings | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "--users", default="10,50", help="users of each run, comma-separated (the first is the baseline)"
    )
    parser.add_argument("--seconds", type=float, default=120, help="length of each run")
    parser.add_argument("--warmup", type=float, default=10, help="seconds of load before the runs, not counted")
    parser.add_argument("--url", default=None, help="measure this running server instead of starting one")
    parser.add_argument("--pid", type=int, default=None, help="with --url: the server's master, for its memory")
    parser.add_argument("--workers", type=int, default=None, help="PLANMAP_WORKERS of the server started here")
    parser.add_argument("--threads", type=int, default=None, help="PLANMAP_THREADS of the server started here")
    parser.add_argument("--load", action="store_true", help="load the national demo when missing")
    parser.add_argument("--boundaries", type=Path, default=None)
    parser.add_argument("--min-items", type=int, default=900_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    users = [int(n) for n in args.users.split(",") if n.strip()]

    print(
        f"each user: think {THINK[0]:g}-{THINK[1]:g} s (uniform) after every request; 1 request in "
        f"{round(1 / EXPORT_SHARE)} an export (CSV); database poll every {POLL_S:g} s; "
        f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} before the runs"
    )
    if args.url:
        results = measure(args.url.rstrip("/"), args.pid, users, args.seconds, args.warmup, args.seed)
    else:
        settings = settings or load_settings()
        workers, threads = args.workers or settings.workers, args.threads or settings.threads
        with database(settings, args.load, args.boundaries, args.min_items) as held:
            print(f"database: {held}")
            with planmap_serve(settings, workers, threads) as (base, pid, log):
                print(
                    f"server: planmap serve on {base}, {workers} workers × {threads} threads, "
                    f"pool_max {settings.pool_max} per worker, pid {pid}"
                )
                results = measure(base, pid, users, args.seconds, args.warmup, args.seed)
            problems = log_problems(log)
            print(f"server log: {len(problems)} problem lines" + (f", kept at {log}" if problems else ""))
            for line in problems[:10]:
                print(f"    {line[:200]}")
            if not problems:
                log.unlink()
    if len(results) > 1:
        base_run, top = results[0], results[-1]
        print(
            f"ratio {top.users} users / {base_run.users} users: throughput {top.rate / base_run.rate:.2f}x "
            f"(ideal {top.users / base_run.users:.2f}x: the same think time), "
            f"p95 {top.p(0.95) / base_run.p(0.95):.2f}x, p99 {top.p(0.99) / base_run.p(0.99):.2f}x"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
