"""One structured log line per request: method, route template, status, time, user name; and
the same request counted and timed in the Prometheus metrics (api/metrics.py).

The route template (`/api/cases/{ref}`) is logged, never the path or the query, so no case
ref, name or national id reaches the log.

A plain ASGI middleware: Starlette's `BaseHTTPMiddleware` runs every request through extra
tasks and memory streams on the event loop, which cost more than a small write itself.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api import metrics

log = logging.getLogger("boligspor.api")


class RequestLog:
    """Logs, counts and times each HTTP request once its answer has been sent."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status: list[int] = []

        async def send_and_note(message: Message) -> None:
            if message["type"] == "http.response.start":
                status.append(int(message["status"]))
            await send(message)

        try:
            await self.app(scope, receive, send_and_note)
        finally:
            route = getattr(scope.get("route"), "path", "unmatched")
            answered = status[0] if status else None
            seconds = time.perf_counter() - started
            metrics.observe_request(scope["method"], route, answered, seconds)
            state: dict[str, Any] = scope.get("state") or {}
            log.info(
                "request",
                extra={
                    "method": scope["method"],
                    "route": route,
                    "status": answered,
                    "ms": round(seconds * 1000, 1),
                    "user": state.get("user"),
                },
            )
