"""Every callback answers type-confused posts without a server error.

The browser posts the values of a callback's inputs and states, and whoever holds the page can
post anything JSON carries in their place. This fuzz lists the real app's callbacks from
``/_dash-dependencies`` and posts each one's request to ``/_dash-update-component`` against the
tiny demo: first with realistic values (each must render), then with one value at a time (and
each field of a pattern-matching id) replaced by a wrong-typed one, then with a malformed
property id as the input that changed. Every answer must be 200 or 204 (or the guard's plain 400
for an envelope Dash cannot read, :mod:`dashboard.dispatch_guard`), never a 500 or a traceback. The values are a fixed list, so the run is the same every time.
"""

from __future__ import annotations

import copy
import json
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import flask
import pytest
from dash import html

from dashboard import ids
from dashboard.app import create_app
from dashboard.pages import PAGES
from geodata.db import open_pool
from geodata.settings import Settings
from tests.helpers import add_account, demo_database, sign_in


def _nested(depth: int) -> list:
    value: list = []
    for _ in range(depth):
        value = [value, "x"]
    return value


# What a browser (or anyone posing as one) can put where a text, a number or an object belongs.
BAD = (
    None,
    True,
    False,
    0,
    -1,
    2**63,
    10**30,
    1.5,
    float("nan"),
    float("-inf"),
    "",
    "x" * 100_000,
    "\x00",
    "?area=37\x00&fy=2569",
    "?area=37&fy=2569&sector=a\x00b&item=1%00",
    "\ud800",  # a lone surrogate: valid JSON, not encodable as UTF-8
    "\u202eก\u0e31\u0e31 🏳️\u200d🌈 \ufeff\uffff",
    "?view=trace&item=99999999999999999999&agency=-1&fy=9999",
    "%00%ff%fe",
    [],
    ["?area=37"],
    [None, 1, "x", {}],
    {},
    {"ok": "yes", "version": [1]},
    {"version": 10**30},
    {"points": "x"},
    {"points": [None]},
    {"points": [{"location": 37, "customdata": "a"}]},
    {"points": [[{"location": "37"}]]},
    {"rowId": ["1"], "colId": {"a": 1}},
    {"rowId": "1" * 40, "colId": "trace"},
    _nested(30),
)
# What can stand for the property id that changed (Dash reads the triggered input from it).
CHANGED = (
    [],
    [""],
    ["."],
    ["nope"],
    ["{not json.n_clicks"],
    ['["a"].value'],
    ['{"type":"review-decide"}.n_clicks'],
    [None],
    [7],
)
# Realistic values of the inputs, so that a callback reaches its page's code; the URL's is the
# callback's page (``Callback.search``), the rest are None as on a fresh page.
REALISTIC = {
    (ids.DB_OK, "data"): {"ok": True, "version": 1},
    (ids.RETRY, "n_intervals"): 1,
    (ids.REVIEW_DONE, "data"): 0,
    (ids.COMPARE, "value"): [],
    (ids.TILES, "value"): [],
    (ids.YEAR, "value"): 2569,
    (ids.MAP, "clickData"): {"points": [{"location": "37"}]},
    (ids.LANG, "value"): "th",
}
BUTTON = {"type": ids.REVIEW_DECIDE, "action": "accepted", "allocation": "k", "item": "1"}


@dataclass(frozen=True)
class Callback:
    """One callback as ``/_dash-dependencies`` lists it, and the page its outputs are on."""

    output: str
    outputs: list[dict] | dict
    inputs: list[dict]
    state: list[dict]
    view: str

    @property
    def search(self) -> str:
        return f"?area=37&fy=2569&view={self.view}&item=1"

    def entries(self, specs: list[dict]) -> list[Any]:
        """The posted entries of ``specs`` with realistic values (one button for a wildcard)."""
        out: list[Any] = []
        for spec in specs:
            if isinstance(spec["id"], dict):
                out.append([{"id": dict(BUTTON), "property": spec["property"], "value": 1}])
            else:
                key = (spec["id"], spec["property"])
                value = self.search if key == (ids.URL, "search") else REALISTIC.get(key)
                out.append({**spec, "value": value})
        return out

    def request(self, body: dict, changed: list) -> dict:
        return {"output": self.output, "outputs": self.outputs, **body, "changedPropIds": changed}


def _component_id(text: str) -> str | dict:
    return json.loads(text) if text.startswith("{") else text


def _spec(text: str) -> dict:
    component, _, prop = text.rpartition(".")
    return {"id": _component_id(component), "property": prop}


def _layout_ids(page: Any) -> set[str]:
    return {c.id for c in html.Div(page.layout())._traverse() if isinstance(getattr(c, "id", None), str)}


def _callbacks(client: flask.testing.FlaskClient) -> list[Callback]:
    pages = {page.NAME: _layout_ids(page) for page in PAGES}
    found = []
    for dep in client.get("/_dash-dependencies").get_json():
        output = dep["output"]
        multi = output.startswith("..")
        outputs = [_spec(o) for o in output[2:-2].split("...")] if multi else _spec(output)
        shown = {o["id"] for o in (outputs if multi else [outputs]) if isinstance(o["id"], str)}
        view = next((name for name, on_page in pages.items() if shown & on_page), "map")
        inputs = [{"id": _component_id(i["id"]), "property": i["property"]} for i in dep["inputs"]]
        state = [{"id": _component_id(s["id"]), "property": s["property"]} for s in dep["state"]]
        found.append(Callback(output, outputs, inputs, state, view))
    return found


def _prop_id(entry: dict) -> str:
    component = entry["id"]
    if isinstance(component, dict):
        component = json.dumps(component, sort_keys=True, separators=(",", ":"))
    return f"{component}.{entry['property']}"


def _first(entries: list) -> dict:
    return entries[0][0] if isinstance(entries[0], list) else entries[0]


def _bodies(cb: Callback) -> Iterator[tuple[str, dict]]:
    """The callback's requests, each with one thing wrong, and what is wrong in it."""
    inputs, state = cb.entries(cb.inputs), cb.entries(cb.state)

    def fresh() -> dict:
        return {"inputs": copy.deepcopy(inputs), "state": copy.deepcopy(state)}

    for where, entries in (("inputs", inputs), ("state", state)):
        for n, entry in enumerate(entries):
            pattern = isinstance(entry, list)
            for bad in BAD:
                body = fresh()
                target = body[where][n][0] if pattern else body[where][n]
                target["value"] = bad
                changed = target if where == "inputs" else _first(body["inputs"])
                yield f"{where}[{n}] {_prop_id(target)} = {bad!r:.60}", cb.request(body, [_prop_id(changed)])
                for key in sorted(k for k in target["id"] if k != "type") if pattern else ():
                    body = fresh()
                    button = body[where][n][0]
                    button["id"][key] = bad
                    yield f"{where}[{n}] id.{key} = {bad!r:.60}", cb.request(body, [_prop_id(button)])
    for changed in CHANGED:
        yield f"changedPropIds = {changed!r}", cb.request(fresh(), changed)


@pytest.fixture(scope="module")
def demo(pg_cluster, demo_template) -> Iterator[Settings]:  # noqa: ANN001 - the session's cluster
    with demo_database(pg_cluster, "fuzz") as settings:
        yield settings


@pytest.fixture(scope="module")
def server(demo: Settings) -> Iterator[flask.Flask]:
    pool = open_pool(demo, wait=True)
    try:
        yield create_app(demo, pool).server  # debug off, as served
    finally:
        pool.close()


@pytest.fixture(scope="module")
def client(server: flask.Flask, demo: Settings) -> flask.testing.FlaskClient:
    """Signed in as an admin of the whole country, so every callback is reachable (the access
    rules themselves are tested in test_access.py)."""
    add_account(demo, "fuzz.admin", "admin", "TH")
    signed = server.test_client()
    sign_in(signed, "fuzz.admin")
    return signed


@pytest.fixture(scope="module")
def callbacks(server: flask.Flask) -> list[Callback]:
    found = _callbacks(server.test_client())
    assert len(found) >= 14 and any(isinstance(i["id"], dict) for cb in found for i in cb.inputs)
    return found


def test_every_callback_renders_its_realistic_request(
    client: flask.testing.FlaskClient, callbacks: list[Callback]
) -> None:
    """The fuzz starts from requests that reach each page's code (a 204 would test nothing)."""
    for cb in callbacks:
        first = _first(cb.entries(cb.inputs))
        response = client.post(
            "/_dash-update-component",
            json=cb.request({"inputs": cb.entries(cb.inputs), "state": cb.entries(cb.state)}, [_prop_id(first)]),
        )
        assert response.status_code == 200, cb.output


def test_every_callback_survives_wrong_typed_values(
    client: flask.testing.FlaskClient, callbacks: list[Callback]
) -> None:
    errors: list[BaseException] = []

    def record(_sender: object, exception: BaseException, **_: object) -> None:
        errors.append(exception)

    requests, failures = 0, []
    started = time.perf_counter()
    with flask.got_request_exception.connected_to(record, server):
        for cb in callbacks:
            for what, body in _bodies(cb):
                errors.clear()
                response = client.post("/_dash-update-component", json=body)
                requests += 1
                text = response.get_data(as_text=True)
                refused = response.status_code == 400 and text.startswith("malformed callback request")
                if (response.status_code not in (200, 204) and not refused) or "Traceback" in text:
                    why = f"{type(errors[0]).__name__}: {str(errors[0])[:120]}" if errors else text[:120]
                    failures.append(f"{response.status_code} {cb.output[:50]} {what}: {why}")
    print(f"\n{len(callbacks)} callbacks, {requests} fuzzed requests in {time.perf_counter() - started:.1f} s")
    assert not failures, f"{len(failures)} of {requests} requests failed:\n" + "\n".join(failures)


def test_malformed_requests_are_refused_before_dash(
    client: flask.testing.FlaskClient, callbacks: list[Callback]
) -> None:
    """Bodies Dash's dispatcher cannot read (it would answer 500) get a plain 400."""
    cb = next(c for c in callbacks if c.output.startswith(".."))
    good = cb.request({"inputs": cb.entries(cb.inputs), "state": cb.entries(cb.state)}, [])
    malformed = [
        ["a", "list"],
        "text",
        {k: v for k, v in good.items() if k != "output"},
        {**good, "output": "nope.children"},
        {**good, "inputs": "x"},
        {**good, "inputs": [1]},
        {k: v for k, v in good.items() if k != "inputs"},
        {**good, "inputs": [{"id": "url"}] + good["inputs"][1:]},
        {**good, "inputs": good["inputs"][:-1]},
        {**good, "outputs": good["outputs"][:-1]},
        {**good, "outputs": {"id": 5, "property": "x"}},
        {**good, "changedPropIds": 5},
        {**good, "changedPropIds": [{}]},
    ]
    statuses = [client.post("/_dash-update-component", json=body).status_code for body in malformed]
    assert statuses == [400] * len(malformed)
    assert client.post("/_dash-update-component", data=b"{not json", content_type="application/json").status_code == 400
    assert client.post("/_dash-update-component", json=good).status_code in (200, 204)
