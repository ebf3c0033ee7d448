"""``planmap serve``: run the dashboard."""

from __future__ import annotations

import click

from dashboard.app import create_app
from geodata.settings import load_settings


@click.command()
@click.option("--host", default=None, help="Address to bind (default PLANMAP_HOST, 127.0.0.1).")
@click.option("--port", type=int, default=None, help="Port (default PLANMAP_PORT, 8050).")
def serve(host: str | None, port: int | None) -> None:
    """Serve the dashboard (http://127.0.0.1:8050 by default)."""
    settings = load_settings()
    app = create_app(settings)
    host = host or settings.host
    port = port or settings.port
    click.echo(f"planmap dashboard on http://{host}:{port}/")
    app.run(host=host, port=port, debug=settings.debug)
