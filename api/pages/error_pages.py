"""Errors on the web pages as pages: the API's one error mapping, shown in Norwegian.

An unknown address under /app, a parameter of the wrong form, a database that cannot be
reached or an unexpected fault answer a person with error.html (the message of the error's
code, from api/messages.py), not with the API's JSON body; the status, the headers and the
logging stay those of api/errors.py. Refusals the pages raise themselves (PageError) have their
own handler in routes.py.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from typing import Any

from fastapi import FastAPI, Request
from starlette.responses import Response

from api.messages import message
from api.pages.state import PREFIX, render

Handler = Callable[[Request, Exception], Response | Awaitable[Response]]
KEPT_HEADERS = ("retry-after",)


def on_pages(request: Request) -> bool:
    path = request.url.path
    return (path == PREFIX or path.startswith(f"{PREFIX}/")) and not path.startswith(
        f"{PREFIX}/static/"
    )


def as_page(request: Request, answer: Response) -> Response:
    """The API's error answer as an error page with the same status."""
    body: dict[str, Any] = json.loads(bytes(answer.body))
    error = body.get("error", {})
    details = [d.get("message", "") for d in error.get("details", []) if d.get("message")]
    page = render(
        request,
        "error.html",
        {
            "message": message(str(error.get("code", "internal_error"))),
            "detail": " ".join(details) or None,
            "back": None,
            "viewer": None,
        },
        status_code=answer.status_code,
    )
    for name in KEPT_HEADERS:
        if name in answer.headers:
            page.headers[name] = answer.headers[name]
    return page


def _for_pages(handler: Handler) -> Handler:
    async def handle(request: Request, error: Exception) -> Response:
        answer = handler(request, error)
        if not isinstance(answer, Response):
            answer = await answer
        if not on_pages(request) or answer.media_type != "application/json":
            return answer
        return as_page(request, answer)

    return handle


def install(app: FastAPI, *, except_for: tuple[type[Exception], ...]) -> None:
    """Wrap every error handler already on `app` (api/errors.py's) so that pages get pages."""
    for kind, handler in list(app.exception_handlers.items()):
        if isinstance(kind, type) and issubclass(kind, except_for):
            continue
        app.add_exception_handler(kind, _for_pages(handler))
