"""The web API: `create_app(settings)` wires one application object per process.

`uvicorn --factory api.app:app_from_environment` builds it from BOLIGSPOR_* variables.
"""

from __future__ import annotations

import gc
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.responses import RedirectResponse

from api import errors, metrics
from api.pages import mount_pages
from api.request_log import RequestLog
from api.routers import (
    access_log,
    alerts,
    cases,
    dwellings,
    events,
    health,
    reports,
    users,
    waiting_list,
)
from api.routers import metrics as metrics_route
from api.security_headers import SecurityHeaders
from api.services import build_services
from domain.application import Boligspor
from settings import Settings, load_settings, scrub_library_environment

# Allocations between two collections of the youngest generation (CPython's default: 700).
YOUNG_COLLECTION_EVERY = 20_000

DESCRIPTION = """
Sakssporing for boligsosialt arbeid. Hendelser skrives i formatet fra docs/events.md; tallene
følger docs/figures.md. Alle kall unntatt `/api/health` krever `Authorization: Bearer <nøkkel>`
(nøkkelen lages med `boligspor user add`). Roller: `field` (egne teams saker, noen
hendelsestyper; andre teams saker bare lese, med oppgitt grunn i `X-Access-Reason`),
`caseworker` (alle saker), `leader` (rapporter), `admin` (brukere, sletting, sperrede saker,
hele tilgangsloggen). Hver lesing av personopplysninger logges; lesing utenfor eget team
merkes.
"""


def create_app(settings: Settings, *, application: Boligspor | None = None) -> FastAPI:
    """The API over `application` (or a new one from `settings`, closed at shutdown)."""
    services = build_services(settings, application)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        services.close()

    app = FastAPI(
        title="Boligspor API",
        version="1",
        description=DESCRIPTION,
        docs_url=None if settings.production else "/docs",
        redoc_url=None,
        openapi_url=None if settings.production else "/openapi.json",
        lifespan=lifespan,
    )
    app.state.services = services
    app.state.production = settings.production
    errors.install(app)
    metrics.observe_group_commits(services.app)
    app.add_middleware(RequestLog)
    app.add_middleware(SecurityHeaders, production=settings.production)
    for router in (
        events.router,
        cases.router,
        dwellings.router,
        reports.router,
        health.router,
        users.router,
        alerts.router,
        waiting_list.router,
        access_log.router,
        metrics_route.router,
    ):
        app.include_router(router)
    mount_pages(app)

    @app.get("/", include_in_schema=False)
    def start_page() -> RedirectResponse:
        return RedirectResponse("/app/", status_code=307)

    return app


def server_app(settings: Settings) -> FastAPI:
    """The app of one server process, its heap settled (`settle_heap`)."""
    app = create_app(settings)
    settle_heap()
    return app


def settle_heap() -> None:
    """Once a long-running process has loaded what it serves with: move all of it out of the
    garbage collector's reach (`gc.freeze`), and collect the youngest generation less often.
    Otherwise a full collection walks every module, route and cache now and then in the middle
    of a request (bench/search.py, a name search on the country prefix: p99 82 ms with
    CPython's defaults, 32 ms so; p50 unchanged)."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(YOUNG_COLLECTION_EVERY, 10, 10)


def app_from_environment() -> FastAPI:
    """For `uvicorn --factory`: settings from the environment, nothing else leaking in."""
    scrub_library_environment()
    return server_app(load_settings())
