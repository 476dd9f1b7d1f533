"""The headers every answer carries: no sniffing, no caching of personal data, no framing.

One middleware for the API and the pages. The pages set their own Content-Security-Policy
(`api.pages.state.SECURITY_HEADERS`); answers without one get the API's, which allows nothing.
HSTS is sent in production only, where the service is reached over HTTPS.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from fastapi import Request, Response
from starlette.datastructures import MutableHeaders

API_POLICY = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
HSTS = "max-age=63072000; includeSubDomains"
CACHEABLE_PREFIX = "/app/static/"
DOCS_PREFIX = "/docs"  # Swagger UI (development only) loads its script from a CDN

Middleware = Callable[[Request, Callable[[Request], Awaitable[Response]]], Awaitable[Response]]


def add_security_headers(path: str, headers: MutableHeaders, production: bool) -> None:
    """Set the headers on an answer to `path` (those it set itself stay)."""
    headers["X-Content-Type-Options"] = "nosniff"
    headers.setdefault("Referrer-Policy", "no-referrer")
    if not path.startswith(DOCS_PREFIX):
        headers.setdefault("Content-Security-Policy", API_POLICY)
    if not path.startswith(CACHEABLE_PREFIX):
        headers["Cache-Control"] = "no-store"
    if production:
        headers["Strict-Transport-Security"] = HSTS


def security_headers(production: bool) -> Middleware:
    """The middleware, with HSTS when `production`.

    Starlette answers an unexpected error (500) outside every middleware, so that handler
    (`api.errors.handle_error`) calls `add_security_headers` itself.
    """

    async def add_headers(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        response = await call_next(request)
        add_security_headers(request.url.path, response.headers, production)
        return response

    return add_headers
