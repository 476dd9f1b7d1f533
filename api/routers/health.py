"""Health: is the database reachable, and how far behind are the read models."""

from __future__ import annotations

from fastapi import APIRouter

from api.dependencies import ServicesDep
from api.models import ErrorBody, Health
from api.responses import DESCRIPTIONS

router = APIRouter(prefix="/api", tags=["drift"])


@router.get("/health", responses={503: {"model": ErrorBody, "description": DESCRIPTIONS[503]}})
def get_health(services: ServicesDep) -> Health:
    """Open to monitors without a token: 200 when the database answers, 503 when not."""
    lag = services.reads.lag(services.app)
    return Health(
        status="ok" if not any(lag.values()) else "catching_up",
        database="reachable",
        read_model_lag=lag,
    )
