"""The web pages' router: everything under /app."""

from __future__ import annotations

from fastapi import APIRouter

from api.pages import (
    access_log_routes,
    auth_routes,
    case_routes,
    oidc_routes,
    plan_routes,
    quality_routes,
    report_routes,
    user_routes,
)
from api.pages.state import PREFIX

router = APIRouter(prefix=PREFIX, include_in_schema=False)
for part in (
    auth_routes.router,
    oidc_routes.router,
    case_routes.router,
    report_routes.router,
    plan_routes.router,
    access_log_routes.router,
    user_routes.router,
    quality_routes.router,
):
    router.include_router(part)
