"""The `boligspor serve` command: the HTTP API and the web pages, in one process or N.

With `--workers N` uvicorn starts N processes, each of which builds its own application from
the BOLIGSPOR_* environment (`web_app`, uvicorn's factory); they share the database and
nothing else. The schema lock makes their first start on an empty database safe, and
PROMETHEUS_MULTIPROC_DIR lets any of them answer /metrics for all.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Annotated

import typer
from fastapi import FastAPI

from cli.context import settings


def register(app: typer.Typer) -> None:
    """Add the `serve` command to the command line."""
    app.command("serve")(serve)


def serve(
    host: Annotated[str, typer.Option(help="address to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="port")] = 8000,
    workers: Annotated[
        int, typer.Option(min=1, help="server processes (each with its own application)")
    ] = 1,
) -> None:
    """Run the HTTP API and the web pages."""
    import uvicorn

    config = settings()
    if workers == 1:
        from api.app import server_app

        # X-Forwarded-For is read by the app, and only from BOLIGSPOR_TRUSTED_PROXIES.
        uvicorn.run(
            server_app(config),
            host=host,
            port=port,
            log_config=None,
            access_log=False,
            proxy_headers=False,
        )
        return
    from api.metrics import prepare_multiprocess_directory

    directory = config.metrics_directory or Path(tempfile.mkdtemp(prefix="boligspor-metrics-"))
    prepare_multiprocess_directory(directory)
    uvicorn.run(
        "cli.serving:web_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_config=None,
        access_log=False,
        proxy_headers=False,
    )


def web_app() -> FastAPI:
    """One server process's app (uvicorn's factory): settings and logging from the
    environment, as the command line's own."""
    from api.app import server_app

    return server_app(settings())
