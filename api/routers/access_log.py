"""The whole access log, for admins: who read which case, and the flagged reads among them."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Query

from api.access_log import AccessEntry
from api.dependencies import Auditor, ServicesDep
from api.models import AccessLogEntry
from api.responses import errors

router = APIRouter(prefix="/api/access-log", tags=["tilgangslogg"])


def entry_out(entry: AccessEntry) -> AccessLogEntry:
    return AccessLogEntry(
        at=datetime.fromisoformat(entry.at),
        user=entry.user,
        role=entry.role,
        case=entry.case,
        route=entry.route,
        reason=entry.reason,
        flagged=entry.flagged,
    )


@router.get("", responses=errors(403, 422))
def get_access_log(
    services: ServicesDep,
    user: Auditor,
    flagged: Annotated[
        bool | None,
        Query(description="true: only reads outside the reader's team; false: only the others"),
    ] = None,
    limit: Annotated[int, Query(ge=1, le=5000)] = 1000,
) -> list[AccessLogEntry]:
    """Every read of a case's personal data, newest first (admins only)."""
    return [entry_out(e) for e in services.access_log.entries(limit=limit, flagged=flagged)]
