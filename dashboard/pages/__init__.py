"""The dashboard's pages, one module each, in the order of their tabs. Each has ``NAME`` (its
``view`` in the URL), ``layout()`` and ``register(app, ctx)``."""

from __future__ import annotations

from dashboard.pages import audit, compliance, data, funnel, overlaps, review, trace
from dashboard.pages import map as map_page

PAGES = (map_page, funnel, trace, compliance, overlaps, review, data, audit)

__all__ = ["PAGES"]
