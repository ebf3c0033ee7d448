"""The dashboard's pages, one module each, in the order of their tabs. Each has ``NAME`` (its
``view`` in the URL), ``layout()`` and ``register(app, ctx)``."""

from __future__ import annotations

from dashboard.pages import audit, compare, compliance, data, funnel, need, overlaps, review, trace, trend, upload
from dashboard.pages import map as map_page

PAGES = (map_page, trend, need, compare, funnel, trace, compliance, overlaps, review, data, upload, audit)

__all__ = ["PAGES"]
