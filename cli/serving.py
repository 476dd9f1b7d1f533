"""The `boligspor serve` command: the HTTP API and the web pages, in one process or N.

With `--workers N` uvicorn's supervisor starts N processes and watches over them (one that
dies is started again); each builds its own application from the BOLIGSPOR_* environment
(`web_app`, uvicorn's factory); they share the database and nothing else. The schema lock makes
their first start on an empty database safe, and PROMETHEUS_MULTIPROC_DIR lets any of them
answer /metrics for all.

Each process listens on a socket of its own on the one port (SO_REUSEPORT), and the kernel
spreads new connections over them evenly. uvicorn hands every process the one socket its
supervisor bound instead, and a process's event loop then takes every connection that waits at
once: sixteen keep-alive clients connecting together ended up 14 on one process and 2 on the
other. That socket is also made without naming TCP as its protocol, so asyncio leaves Nagle's
algorithm on for the connections it accepts (`_set_nodelay` looks for IPPROTO_TCP): every
answer then waited for the client's delayed acknowledgement (bench/processes.py, 16 clients:
p50 60 ms and 265 events/s with two processes, against 31 ms and 500 events/s with one).
"""

from __future__ import annotations

import functools
import socket
import tempfile
from pathlib import Path
from typing import Annotated, Any

import typer
from fastapi import FastAPI

from cli.context import settings

# uvicorn's options for both ways of serving: our own logs (no access log of uvicorn's), and
# X-Forwarded-For read by the app, and only from BOLIGSPOR_TRUSTED_PROXIES.
UVICORN_OPTIONS: dict[str, Any] = {"log_config": None, "access_log": False, "proxy_headers": False}


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

        uvicorn.run(server_app(config), host=host, port=port, **UVICORN_OPTIONS)
        return
    from uvicorn.supervisors import Multiprocess

    from api.metrics import prepare_multiprocess_directory

    # Bound and never listening: the port is this command's (a second `serve` on it fails
    # here), and no connection waits at this socket.
    try:
        reserved = port_socket(host, port)
    except OSError as error:
        typer.echo(f"kan ikke lytte på {host}:{port}: {error.strerror}", err=True)
        raise typer.Exit(1) from None
    directory = config.metrics_directory or Path(tempfile.mkdtemp(prefix="boligspor-metrics-"))
    prepare_multiprocess_directory(directory)
    server = uvicorn.Server(
        uvicorn.Config(
            "cli.serving:web_app",
            factory=True,
            host=host,
            port=port,
            workers=workers,
            **UVICORN_OPTIONS,
        )
    )
    with reserved:
        target = functools.partial(_serve_on_own_socket, server)
        Multiprocess(server.config, target=target, sockets=[]).run()


def port_socket(host: str, port: int) -> socket.socket:
    """A TCP socket bound to host:port that shares the port with the others made so."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
        sock.bind((host, port))
    except OSError:
        sock.close()
        raise
    return sock


def _serve_on_own_socket(server: object, sockets: list[socket.socket] | None = None) -> None:
    """One server process (uvicorn's target): serve on a socket of its own on the port."""
    import uvicorn

    assert isinstance(server, uvicorn.Server) and not sockets
    server.run(sockets=[port_socket(server.config.host, server.config.port)])


def web_app() -> FastAPI:
    """One server process's app (uvicorn's factory): settings and logging from the
    environment, as the command line's own."""
    from api.app import server_app

    return server_app(settings())
