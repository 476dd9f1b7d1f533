"""Health: can the database be read and written, and how far behind are the read models."""

from __future__ import annotations

from fastapi import APIRouter

from api.dependencies import ServicesDep
from api.models import ErrorBody, Health, Readiness
from api.responses import DESCRIPTIONS
from api.services import Services
from domain import store_faults

router = APIRouter(prefix="/api", tags=["drift"])


def check_database(services: Services) -> None:
    """Raise unless the database answers and takes a write: StoreReadOnly or StoreFull when
    it is read-only or full (a probe write failing now, or a write of this process failing
    in the last minute with nothing written since), StoreUnavailable when it does not answer."""
    app = services.app
    fault = store_faults.RECENT.current(app.settings.database_url)
    if fault is not None:
        raise fault(store_faults.MESSAGES[fault])
    app.sql.probe_write(services.now().isoformat())


@router.get("/health", responses={503: {"model": ErrorBody, "description": DESCRIPTIONS[503]}})
def get_health(services: ServicesDep) -> Health:
    """Open to monitors without a token: 200 when the database answers and takes a write;
    503 when it does not answer (`store_unavailable`), is read-only (`store_read_only`) or
    its disk is full (`store_full`)."""
    check_database(services)
    lag = services.reads.lag(services.app)
    return Health(
        status="ok" if not any(lag.values()) else "catching_up",
        database="reachable",
        read_model_lag=lag,
    )


@router.get(
    "/health/ready", responses={503: {"model": ErrorBody, "description": DESCRIPTIONS[503]}}
)
def get_readiness(services: ServicesDep) -> Readiness:
    """For load balancers, open without a token: 200 when this process can serve requests
    (its database answers, the schema is in place); 503 when not. The read models' lag is
    reported, not judged: a large import puts every process behind at once, and reads catch
    up on their own, so a lag must not take all of them out of the balancer together."""
    lag = services.reads.lag(services.app)
    return Readiness(
        status="ready" if not any(lag.values()) else "catching_up",
        database="reachable",
        read_model_lag=lag,
        lag_events=max(lag.values(), default=0),
    )
