"""Who may read and write which case from the pages: the API's rules, answered as pages.

The rules themselves (role, team, restricted cases) and the access log are the API's
(`api.case_access`); this module turns their refusals into page errors.
"""

from __future__ import annotations

from typing import Any

from api import case_access
from api.errors import ApiError, without_values
from api.messages import message
from api.pages.deps import Viewer
from api.pages.forms import CASE_WORKER, FIELD_USER, FormSpec
from api.pages.state import PREFIX, NotSaved, PageForbidden, PageNotFound, PagesState
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


def _page_error(error: ApiError) -> PageForbidden:
    return PageForbidden("error.not_your_team" if error.code == "not_your_team" else None)


def open_case(state: PagesState, viewer: Viewer, ref: str, route: str) -> None:
    """Refuse unless the viewer may read the case; then log the read of its personal data."""
    try:
        case_access.open_case(state.services, viewer.user, ref, route, None)
    except UnknownCase:
        raise PageNotFound("error.unknown_case") from None
    except ApiError as error:
        raise _page_error(error) from None


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
        reasons = "; ".join(without_values(r.message) for r in refused.refusals)
        code = refused.refusals[0].code if refused.refusals else "refused"
        raise NotSaved(
            detail=f"{message(code)} ({reasons})", back=f"{PREFIX}/saker/{ref}"
        ) from None
