"""The shape of the code, checked: the dependency rule etl → geodata ← dashboard, no import
cycle between modules, one vocabulary (the code-length table lives only in geodata/areas.py).

Imports are read from the source with ``ast`` (what a module imports at its top level or inside
functions), so the check needs no import side effects."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("geodata", "etl", "dashboard")


def _modules() -> dict[str, Path]:
    out = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            parts = path.relative_to(ROOT).with_suffix("").parts
            out[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return out


def _imports(path: Path, modules: dict[str, Path]) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        names = []
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
        found |= {n for n in names if n in modules}
    return found


def test_dependency_rule_etl_geodata_dashboard() -> None:
    modules = _modules()
    for name, path in modules.items():
        package = name.split(".")[0]
        imported = {i.split(".")[0] for i in _imports(path, modules)}
        allowed = {"geodata": {"geodata"}, "etl": {"etl", "geodata"}, "dashboard": {"dashboard", "geodata"}}[package]
        assert imported <= allowed, f"{name} imports {sorted(imported - allowed)}"


def test_no_import_cycles() -> None:
    modules = _modules()
    graph = {name: _imports(path, modules) - {name} for name, path in modules.items()}
    state: dict[str, int] = {}

    def visit(node: str, trail: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                cycle = trail[trail.index(nxt) :] + [nxt] if nxt in trail else [node, nxt]
                raise AssertionError("import cycle: " + " → ".join(cycle))
            if nxt not in state:
                visit(nxt, trail + [nxt])
        state[node] = 2

    for name in sorted(graph):
        if name not in state:
            visit(name, [name])


def test_one_vocabulary() -> None:
    """The code-length → level table and the fiscal-year rule are written once, in geodata/areas.py."""
    table = re.compile(r"""\{\s*2\s*:\s*["']province["']|["']province["']\s*:\s*2\b|month\s*>=\s*10""")
    for name, path in _modules().items():
        if name == "geodata.areas":
            continue
        assert not table.search(path.read_text(encoding="utf-8")), f"{name} writes the vocabulary again"


def test_geodata_speaks_no_language() -> None:
    """Display language lives in the dashboard: no function of geodata takes a ``lang``."""
    for name, path in _modules().items():
        if not name.startswith("geodata"):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                args = [a.arg for a in node.args.args + node.args.kwonlyargs]
                assert "lang" not in args, f"{name}.{node.name} takes a lang"
