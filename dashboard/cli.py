"""``planmap serve``: run the dashboard (gunicorn; ``--dev`` for Flask's development server)."""

from __future__ import annotations

import click

from geodata.settings import load_settings


@click.command()
@click.option("--host", default=None, help="Address to bind (default PLANMAP_HOST, 127.0.0.1).")
@click.option("--port", type=int, default=None, help="Port (default PLANMAP_PORT, 8050).")
@click.option("--dev", is_flag=True, help="Flask's development server, one process (debug: PLANMAP_DEBUG).")
def serve(host: str | None, port: int | None, dev: bool) -> None:
    """Serve the dashboard (http://127.0.0.1:8050 by default): gunicorn with PLANMAP_WORKERS
    processes of PLANMAP_THREADS threads; HUP reloads the settings, TERM stops it."""
    settings = load_settings()
    bind_host, bind_port = host or settings.host, port or settings.port
    if dev:
        from dashboard.app import create_app
        from dashboard.serve import first_request_alone

        click.echo(f"planmap dashboard (development server) on http://{bind_host}:{bind_port}/")
        app = create_app(settings)
        app.server.wsgi_app = first_request_alone(app.server.wsgi_app)
        app.run(host=bind_host, port=bind_port, debug=settings.debug)
        return
    from dashboard.serve import PlanmapServer

    click.echo(
        f"planmap dashboard on http://{bind_host}:{bind_port}/"
        f" ({settings.workers} workers × {settings.threads} threads)"
    )
    PlanmapServer(host, port).run()  # the settings are read again in the server (and on HUP)
