"""The controls above the pages: which ones carry a label, and how a label is attached (the
shell lays them out, the map page places the ranking's selector)."""

from __future__ import annotations

from typing import Any

from dash import html

from dashboard import ids
from dashboard.i18n import t

LABEL_KEYS = {
    ids.PLAN_LEVEL: "plan_level",
    ids.METRIC: "metric",
    ids.YEAR: "fiscal_year",
    ids.SECTOR: "sector",
    ids.AGENCY: "agency",
    ids.SOURCE: "funding_source",
    ids.LEVEL: "level",
    ids.CLASSES: "classes",
    ids.RANK_BY: "rank_by",
}


def labelled(control_id: str, control: Any, cls: str = "") -> html.Div:
    """A control with its label above it (the label's text follows the language)."""
    return html.Div(
        className=f"control {cls}",
        children=[html.Label(t(LABEL_KEYS[control_id]), id=f"{ids.LABEL}-{control_id}", htmlFor=control_id), control],
    )
