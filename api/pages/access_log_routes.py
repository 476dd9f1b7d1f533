"""The access log for admins: every read of a case's personal data, the flagged ones on asking.

The entries hold who, role, case, route, time and the stated reason, never personal data, so
showing them is not itself a read that is logged.
"""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter, Request
from starlette.responses import Response

from api.access_log import WHOLE_STORE
from api.pages.deps import SignedIn, State
from api.pages.state import norwegian_time, render
from api.pages.texts import CATALOGUES, text
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
        "role_read": role_read,
        "what_was_read": what_was_read,
        "case_read": case_read,
        "whole_store": WHOLE_STORE,
        "only_flagged": only_flagged,
        "active": "access_log",
    }
    return render(request, "access_log.html", context)


def role_read(role: str) -> str:
    """The reader's role in words (a read through the command line has the role `cli`)."""
    key = f"role.{role}"
    return text(key) if key in CATALOGUES["nb"] else role


def what_was_read(route: str) -> str:
    """What a logged read was, in words: the route as a person names it."""
    key = f"access_log.read.{route}"
    if key in CATALOGUES["nb"]:
        return text(key)
    path = route.partition(" ")[2]
    if route.startswith("cli"):
        return text("access_log.read.cli")
    if path.startswith("/api/"):
        return text("access_log.read.api")
    if path.startswith("/app/"):
        return text("access_log.read.pages")
    return text("access_log.read.other")


def case_read(case: str) -> str:
    return text("access_log.whole_store") if case == WHOLE_STORE else case
