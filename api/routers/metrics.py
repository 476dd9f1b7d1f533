"""Prometheus' scrape: every API process's metrics, for the metrics token or an admin."""

from __future__ import annotations

import hmac
from typing import Annotated

from fastapi import APIRouter, Depends
from fastapi.responses import Response
from fastapi.security import HTTPAuthorizationCredentials

from api import metrics
from api.dependencies import ServicesDep, bearer
from api.errors import Forbidden, Unauthenticated
from api.responses import errors
from api.users import Permission

router = APIRouter(tags=["drift"])


def metrics_reader(
    services: ServicesDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> None:
    """Let through the configured metrics token, or an admin's token."""
    if credentials is None:
        raise Unauthenticated()
    sent = credentials.credentials
    expected = services.settings.metrics_token
    if expected and hmac.compare_digest(expected.encode(), sent.encode()):
        return
    user = services.users.authenticate(sent)
    if user is None:
        raise Unauthenticated()
    if not user.may(Permission.MANAGE_USERS):
        raise Forbidden()


@router.get(
    "/metrics",
    dependencies=[Depends(metrics_reader)],
    response_class=Response,
    responses={200: {"content": {metrics.CONTENT_TYPE: {}}}, **errors(403)},
)
def get_metrics(services: ServicesDep) -> Response:
    """Requests by route template and status, latency, read-model lag and group-commit
    sizes, in Prometheus' text format (added up over every process of `serve --workers N`).
    Send the metrics token (BOLIGSPOR_METRICS_TOKEN) or an admin's as a bearer token."""
    body = metrics.exposition(services.reads.lag(services.app))
    return Response(body, media_type=metrics.CONTENT_TYPE)
