"""The web pages' router (everything under /app) and their one wiring call, `mount_pages`.

This module is the top of api/pages: it includes every route module's router; the route
modules build on state.py, deps.py and the rendering helpers, and none of them imports this one.
"""

from __future__ import annotations

from datetime import timedelta

from fastapi import APIRouter, FastAPI, Request
from starlette.responses import RedirectResponse, Response
from starlette.staticfiles import StaticFiles

from api.pages import (
    access_log_routes,
    admin_case_routes,
    auth_routes,
    by_name_routes,
    case_routes,
    dwelling_routes,
    error_pages,
    new_case_routes,
    oidc_routes,
    plan_routes,
    quality_routes,
    report_routes,
    search_routes,
    user_routes,
    waiting_routes,
)
from api.pages.login_limit import LoginLimiter, trusted_networks
from api.pages.sessions import SessionStore
from api.pages.state import (
    HERE,
    PREFIX,
    LoginRequired,
    PageError,
    PagesState,
    TooManyTries,
    render,
)
from api.pages.texts import text
from api.services import Services

router = APIRouter(prefix=PREFIX, include_in_schema=False)
for part in (
    auth_routes.router,
    oidc_routes.router,
    case_routes.router,
    dwelling_routes.router,
    new_case_routes.router,
    admin_case_routes.router,
    report_routes.router,
    by_name_routes.router,
    plan_routes.router,
    access_log_routes.router,
    user_routes.router,
    quality_routes.router,
    waiting_routes.router,
    search_routes.router,
):
    router.include_router(part)


def _page_error(request: Request, error: Exception) -> Response:
    assert isinstance(error, PageError)
    if isinstance(error, LoginRequired):
        return RedirectResponse(f"{PREFIX}/logg-inn", status_code=303)
    response = render(
        request,
        "error.html",
        {
            "message": text(error.text_key),
            "detail": error.detail,
            "back": error.back,
            "viewer": None,
        },
        status_code=error.status,
    )
    if isinstance(error, TooManyTries):
        response.headers["Retry-After"] = str(error.retry_after)
    return response


def mount_pages(app: FastAPI) -> None:
    """Serve the web pages from the API `app` (after `app.state.services` is set)."""
    services: Services = app.state.services
    settings, sql = services.settings, services.app.sql
    app.state.pages = PagesState(
        services=services,
        production=settings.production,
        sessions=SessionStore(
            sql,
            idle=timedelta(minutes=settings.session_idle_minutes),
            lifetime=timedelta(hours=settings.session_lifetime_hours),
        ),
        login_limit=LoginLimiter(
            sql,
            tries_per_user=settings.login_tries_per_user,
            tries_per_address=settings.login_tries_per_address,
            window=settings.login_window_seconds,
        ),
        proxies=trusted_networks(settings.trusted_proxies),
    )
    app.include_router(router)
    app.mount(f"{PREFIX}/static", StaticFiles(directory=HERE / "static"), name="pages-static")
    error_pages.install(app, except_for=(PageError,))
    app.add_exception_handler(PageError, _page_error)
