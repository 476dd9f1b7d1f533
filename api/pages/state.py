"""What the web pages share: the application, users, access log, read models and sessions,
the page errors, the templates and the dates as Norwegian readers write them.

The route modules build on this one; api/pages/routes.py assembles them (`mount_pages`).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.templating import Jinja2Templates
from starlette.responses import Response

from api.pages.login_limit import LoginLimiter, Network
from api.pages.sessions import SessionStore
from api.pages.texts import code, text
from api.services import Services
from domain.application import Boligspor
from projections.db import Transaction
from projections.formats.charts import number_text

HERE = Path(__file__).parent
PREFIX = "/app"

templates = Jinja2Templates(directory=str(HERE / "templates"))
templates.env.globals.update(t=text, code=code, prefix=PREFIX)


def norwegian_date(value: date | str | None) -> str:
    if value is None:
        return ""
    day = date.fromisoformat(value) if isinstance(value, str) else value
    return f"{day.day:02d}.{day.month:02d}.{day.year}"


def norwegian_time(value: datetime, zone: Any) -> str:
    local = value.astimezone(zone)
    return f"{norwegian_date(local.date())} kl. {local:%H:%M}"


templates.env.filters["dato"] = norwegian_date
templates.env.filters["tall"] = number_text  # 100000 -> «100 000»


def day_asked(raw: str, default: date) -> date:
    """The date a page's `dato` field asks for (YYYY-MM-DD), or `default` when it is empty."""
    if not raw:
        return default
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise PageError("error.bad_date") from None


@dataclass
class PagesState:
    """What the pages add to the API's services: the browser sessions and the login limit,
    both in the database every process shares."""

    services: Services
    production: bool
    sessions: SessionStore
    login_limit: LoginLimiter
    proxies: tuple[Network, ...]

    @property
    def service(self) -> Boligspor:
        return self.services.app

    def now(self) -> datetime:
        return self.services.now()

    def today(self) -> date:
        return self.services.today()

    def refresh(self) -> None:
        """Bring the read models up to date with every event stored so far."""
        self.services.reads.refresh(self.services.app)

    @contextmanager
    def reading(self) -> Iterator[Transaction]:
        """A snapshot of the read models, caught up with every event stored so far."""
        self.refresh()
        with self.services.reads.reading() as tx:
            yield tx


class PageError(Exception):
    """Raised when a page cannot be shown; carries the status and the page text key."""

    status = 400
    text_key = "error.title"

    def __init__(
        self, text_key: str | None = None, detail: str | None = None, back: str | None = None
    ) -> None:
        super().__init__(text_key or self.text_key)
        if text_key is not None:
            self.text_key = text_key
        self.detail = detail
        self.back = back


class NotSaved(PageError):
    """Raised when the write path refused what a form sent; nothing was stored."""

    status = 422
    text_key = "error.not_saved"


class LoginRequired(PageError):
    """Raised when a page needs a signed-in user and the request has none."""

    status = 401


class TooManyTries(PageError):
    """Raised when a name, or an address, has failed to sign in too often within the window."""

    status = 429
    text_key = "error.too_many_tries"

    def __init__(self, retry_after: int) -> None:
        super().__init__()
        self.retry_after = retry_after


class CsrfRejected(PageError):
    """Raised when a form arrives without this session's CSRF token; nothing is changed."""

    status = 403
    text_key = "error.csrf"


class PageForbidden(PageError):
    """Raised when the signed-in user's role or team does not allow the page or form."""

    status = 403
    text_key = "error.forbidden"


class PageNotFound(PageError):
    """Raised when the case (or other thing) in the address does not exist."""

    status = 404
    text_key = "error.not_found"


def pages_state(request: Request) -> PagesState:
    state: PagesState = request.app.state.pages
    return state


SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; style-src 'self';"
    " script-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",
}


def render(
    request: Request, name: str, context: dict[str, Any], status_code: int = 200
) -> Response:
    """A page from a template, with the headers every page carries."""
    response = templates.TemplateResponse(request, name, context, status_code=status_code)
    response.headers.update(SECURITY_HEADERS)
    return response
