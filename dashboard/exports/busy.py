"""The page a download link's tab shows when the export queue is full (HTTP 429).

Download links open in a new tab, so this page is what the user sees while the server is busy:
a line in the view's language, and a refresh that asks again by itself until the file comes.
"""

from __future__ import annotations

from html import escape

from flask import Response

from dashboard.i18n import t


def busy_page(lang: str, retry_after: int, href: str) -> str:
    """The HTML of the page; ``href`` is the download's own link (escaped, as is every text)."""
    seconds = int(retry_after)
    title = escape(t("export_busy_title", lang))
    return (
        f'<!DOCTYPE html>\n<html lang="{"en" if lang == "en" else "th"}"><head><meta charset="utf-8">'
        f'<meta http-equiv="refresh" content="{seconds}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{title}</title></head>"
        '<body style="font-family: sans-serif; margin: 3em auto; max-width: 40em; line-height: 1.6">'
        f"<h1>{title}</h1><p>{escape(t('export_busy', lang, n=seconds))}</p>"
        f'<p><a href="{escape(href, quote=True)}">{escape(t("export_retry_now", lang))}</a></p>'
        "</body></html>\n"
    )


def busy_response(lang: str, retry_after: int, href: str) -> Response:
    """429 with ``Retry-After`` and the page that retries by itself."""
    return Response(
        busy_page(lang, retry_after, href),
        429,
        mimetype="text/html",
        headers={"Retry-After": str(int(retry_after)), "Cache-Control": "no-store"},
    )
