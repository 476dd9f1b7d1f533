"""One structured log line per request: method, route template, status, time, user name.

The route template (`/api/cases/{ref}`) is logged, never the path or the query, so no case
ref, name or national id reaches the log.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable

from fastapi import Request, Response

log = logging.getLogger("boligspor.api")


async def log_requests(
    request: Request, call_next: Callable[[Request], Awaitable[Response]]
) -> Response:
    started = time.perf_counter()
    response = await call_next(request)
    route = request.scope.get("route")
    log.info(
        "request",
        extra={
            "method": request.method,
            "route": getattr(route, "path", "unmatched"),
            "status": response.status_code,
            "ms": round((time.perf_counter() - started) * 1000, 1),
            "user": getattr(request.state, "user", None),
        },
    )
    return response
