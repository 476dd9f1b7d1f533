"""The headers every answer carries: no sniffing, no caching of personal data, no framing.

One middleware for the API and the pages. The pages set their own Content-Security-Policy
(`api.pages.state.SECURITY_HEADERS`); answers without one get the API's, which allows nothing.
HSTS is sent in production only, where the service is reached over HTTPS.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from fastapi import Request, Response

API_POLICY = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
HSTS = "max-age=63072000; includeSubDomains"
CACHEABLE_PREFIX = "/app/static/"
DOCS_PREFIX = "/docs"  # Swagger UI (development only) loads its script from a CDN

Middleware = Callable[[Request, Callable[[Request], Awaitable[Response]]], Awaitable[Response]]


def security_headers(production: bool) -> Middleware:
    """The middleware, with HSTS when `production`."""

    async def add_headers(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        response = await call_next(request)
        headers = response.headers
        headers["X-Content-Type-Options"] = "nosniff"
        headers.setdefault("Referrer-Policy", "no-referrer")
        if not request.url.path.startswith(DOCS_PREFIX):
            headers.setdefault("Content-Security-Policy", API_POLICY)
        if not request.url.path.startswith(CACHEABLE_PREFIX):
            headers["Cache-Control"] = "no-store"
        if production:
            headers["Strict-Transport-Security"] = HSTS
        return response

    return add_headers
