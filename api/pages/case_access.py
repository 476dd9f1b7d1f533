"""Who may read and write which case from the pages: the API's rules, answered as pages.

The rules themselves (role, team, restricted cases, the reason needed to read outside one's
team) and the access log are the API's (`api.case_access`); this module turns their refusals
into page errors and keeps a stated reason with the session.
"""

from __future__ import annotations

from typing import Any

from api import case_access
from api.errors import ApiError, explain_refusals
from api.pages.deps import Viewer
from api.pages.forms import CASE_WORKER, FIELD_USER, FormSpec
from api.pages.state import PREFIX, NotSaved, PageForbidden, PageNotFound, PagesState
from api.pages.texts import text
from api.users import Permission
from domain.application import Refused, Submitted
from domain.errors import UnknownCase


def audience_of(viewer: Viewer) -> str | None:
    """Which forms the viewer gets: the field set, the case worker's set, or none."""
    if viewer.may(Permission.WRITE_CASE_EVENTS):
        return CASE_WORKER
    if viewer.may(Permission.WRITE_FIELD_EVENTS):
        return FIELD_USER
    return None


OUTSIDE_TEAM = ("not_your_team", "reason_required")


def _page_error(error: ApiError) -> PageForbidden:
    return PageForbidden("error.not_your_team" if error.code in OUTSIDE_TEAM else None)


class ReasonRequired(Exception):
    """Raised when a field user opens a case outside their team without a stated reason."""


def open_case(state: PagesState, viewer: Viewer, ref: str, route: str) -> bool:
    """Refuse unless the viewer may read the case; then log the read of its personal data.

    A field user's read outside their team needs the reason they stated on this session
    (`ReasonRequired` without one) and is flagged; returns whether it was.
    """
    reason = state.sessions.reason(viewer.session, ref)
    try:
        return case_access.open_case(state.services, viewer.user, ref, route, reason)
    except UnknownCase:
        raise PageNotFound("error.unknown_case") from None
    except ApiError as error:
        if error.code == "reason_required":
            raise ReasonRequired() from None
        raise _page_error(error) from None


def state_reason(state: PagesState, viewer: Viewer, ref: str, reason: str) -> bool:
    """Keep the viewer's reason for reading the case if it opens the case (refusing, as
    `open_case` does, a case it cannot open); False when the reason says too little."""
    if not case_access.meaningful(reason):
        return False
    try:
        case_access.check_readable(state.services, viewer.user, ref, reason)
    except UnknownCase:
        raise PageNotFound("error.unknown_case") from None
    except ApiError as error:
        raise _page_error(error) from None
    state.sessions.state_reason(viewer.session, ref, reason)
    return True


def check_write(
    state: PagesState, viewer: Viewer, event: dict[str, Any], spec: FormSpec | None
) -> None:
    """Refuse a form the viewer may not send (`spec` None is a retraction)."""
    audience = audience_of(viewer)
    if audience is None or (spec is None and audience != CASE_WORKER):
        raise PageForbidden()
    if spec is not None and audience not in spec.audience:
        raise PageForbidden()
    try:
        case_access.check_readable(state.services, viewer.user, str(event["case"]))
        if audience == FIELD_USER:
            case_access.check_writable(state.services, viewer.user, [event])
    except UnknownCase:
        raise PageNotFound("error.unknown_case") from None
    except ApiError as error:
        raise _page_error(error) from None


def submit(state: PagesState, viewer: Viewer, ref: str, event: dict[str, Any]) -> Submitted:
    """Store the event as the viewer; a refusal becomes a page that says why."""
    try:
        return state.service.submit([(1, event)], default_by=viewer.user.name)
    except Refused as refused:
        reasons = " ".join(
            e.message for e in explain_refusals(state.services.reads.reading, refused)
        )
        detail = f"{reasons} {text('error.nothing_saved')}"
        raise NotSaved(detail=detail, back=f"{PREFIX}/saker/{ref}") from None
