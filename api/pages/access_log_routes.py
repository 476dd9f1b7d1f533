"""The access log for admins: every read of a case's personal data, the flagged ones on asking.

The entries hold who, role, case, route, time and the stated reason, never personal data, so
showing them is not itself a read that is logged.
"""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter, Request
from starlette.responses import Response

from api.pages.deps import SignedIn, State
from api.pages.state import norwegian_time, render
from api.users import Permission

router = APIRouter()
SHOWN = 500


@router.get("/innsynslogg", summary="The access log (admins)")
def access_log_page(request: Request, state: State, viewer: SignedIn, merket: str = "") -> Response:
    """The newest reads, or only those flagged as outside the reader's team."""
    viewer.require(Permission.AUDIT_ACCESS_LOG)
    only_flagged = bool(merket)
    entries = state.services.access_log.entries(limit=SHOWN, flagged=True if only_flagged else None)
    zone = state.service.zone
    context = {
        "viewer": viewer,
        "csrf": viewer.session.csrf,
        "entries": [(norwegian_time(datetime.fromisoformat(e.at), zone), e) for e in entries],
        "only_flagged": only_flagged,
        "active": "access_log",
    }
    return render(request, "access_log.html", context)
