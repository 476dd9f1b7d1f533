"""The headers every answer carries: no sniffing, no caching of personal data, no framing.

One middleware for the API and the pages. The pages set their own Content-Security-Policy
(`api.pages.state.SECURITY_HEADERS`); answers without one get the API's, which allows nothing.
HSTS is sent in production only, where the service is reached over HTTPS.

A plain ASGI middleware (see `api.request_log`): it edits the headers of the response's start
message as it passes. Starlette answers an unexpected error (500) outside every middleware, so
that handler (`api.errors.handle_error`) calls `add_security_headers` itself.
"""

from __future__ import annotations

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

API_POLICY = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
HSTS = "max-age=63072000; includeSubDomains"
CACHEABLE_PREFIX = "/app/static/"
DOCS_PREFIX = "/docs"  # Swagger UI (development only) loads its script from a CDN


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


class SecurityHeaders:
    """Adds the headers to every HTTP answer, with HSTS when `production`."""

    def __init__(self, app: ASGIApp, production: bool) -> None:
        self.app = app
        self.production = production

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                add_security_headers(path, MutableHeaders(scope=message), self.production)
            await send(message)

        await self.app(scope, receive, send_with_headers)
