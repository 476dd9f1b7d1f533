"""Who may read and write which case, and the log of every read of a case's personal data.

Deny by default: a caseworker reads and writes every case that is not restricted; a field
worker writes only cases that belong to their team (a follow-up by the team or, for Housing
First, an enrolment), and only a few event types; restricted cases are for admins alone.
Which teams a case belongs to is a fact of the case itself (`CaseState.teams`), read from
the event store as the write then decides on it: no read model is caught up or asked.

Case workers and admins work for the whole office and have no team, so no case is outside
their team. A field worker may read (never write) a case outside their team only with a stated
reason; such a read is logged as usual and flagged for admins to review.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from api.errors import Forbidden, RestrictedCase
from api.services import Services
from api.users import FIELD_EVENT_TYPES, Permission, User
from domain.errors import UnknownCase

# A stated reason for reading outside one's team: at least this many letters or digits.
REASON_MIN_CHARACTERS = 5


def meaningful(reason: str | None) -> bool:
    """Whether a stated reason says something: enough letters or digits once trimmed."""
    return reason is not None and sum(c.isalnum() for c in reason) >= REASON_MIN_CHARACTERS


def hidden_cases(services: Services, user: User) -> frozenset[str]:
    """Cases the user may neither see in lists nor read nor write: the restricted ones, unless
    the user is an admin. The one place the restriction is decided: every read, list and
    write of a case asks this (or `refuse_restricted`, which asks it)."""
    if user.may(Permission.READ_RESTRICTED_CASES):
        return frozenset()
    return services.app.restricted_cases()


def refuse_restricted(services: Services, user: User, ref: str) -> None:
    """Raise RestrictedCase (403 `forbidden`, the answer any refused read gets) when the case
    is restricted and the user no admin."""
    if ref in hidden_cases(services, user):
        raise RestrictedCase()


def belongs_to_team(services: Services, ref: str, team: str | None) -> bool:
    """Whether the case is the team's, judged on the case as stored now (a case that does
    not exist belongs to no team)."""
    if team is None:
        return False
    try:
        case = services.app.get_case(ref)
    except UnknownCase:
        return False
    return team in case.state().teams


def check_readable(services: Services, user: User, ref: str, reason: str | None = None) -> bool:
    """Raise UnknownCase (404) or Forbidden (403) unless the user may read the case; True when
    the read is outside the user's team (allowed with a meaningful `reason`, to be flagged).

    A refusal for want of a reason is `reason_required`; restricted cases stay closed to all
    but admins whatever the reason.
    """
    services.app.get_case(ref)
    refuse_restricted(services, user, ref)
    if user.may(Permission.READ_CASES):
        return False
    if not user.may(Permission.READ_TEAM_CASES):
        raise Forbidden()
    if belongs_to_team(services, ref, user.team):
        return False
    if not meaningful(reason):
        raise Forbidden("reason_required")
    return True


def open_case(services: Services, user: User, ref: str, route: str, reason: str | None) -> bool:
    """Check the user may read the case's personal data, then log the read (flagged when it is
    outside the user's team). Returns whether it was flagged."""
    outside_team = check_readable(services, user, ref, reason)
    services.access_log.record(user, ref, route, reason, now=services.now(), flagged=outside_team)
    return outside_team


def check_writable(services: Services, user: User, events: Sequence[Any]) -> None:
    """Raise Forbidden unless the user may log every event (objects only: the event rules
    refuse anything else).

    An event naming a restricted case is refused first, for every role but admin, with the
    answer a read of that case gets: nothing of the case's state is looked at before.

    A field worker logs the field event types on their team's cases, retracts entries they
    logged themselves there, and opens a case as the first contact with a new client: its
    CaseOpened with, in the same submission, a follow-up by their own team (which makes the
    case the team's, `CaseState.teams`). An admin logs case events on restricted cases only
    (every event names one).
    """
    named = {
        ref
        for event in events
        if isinstance(event, dict) and isinstance(ref := event.get("case"), str)
    }
    if named & hidden_cases(services, user):
        raise RestrictedCase()
    if user.may(Permission.WRITE_CASE_EVENTS) and user.may(Permission.WRITE_DWELLING_EVENTS):
        return
    if user.may(Permission.WRITE_RESTRICTED_CASES):
        restricted = services.app.restricted_cases()
        objects = [event for event in events if isinstance(event, dict)]
        if any(event.get("case") not in restricted for event in objects):
            raise Forbidden()
        return
    if not user.may(Permission.WRITE_FIELD_EVENTS):
        raise Forbidden()
    opened = _first_contacts(services, user, events)
    for event in events:
        if not isinstance(event, dict):
            continue
        kind = event.get("type")
        ref = event.get("case")
        if kind == "CaseOpened" and ref in opened:
            continue
        if kind == "EventRetracted":
            _check_own_entry(services, user, event)
        elif not isinstance(kind, str) or kind not in FIELD_EVENT_TYPES:
            raise Forbidden()
        if event.get("type") == "FollowUpLogged" and event.get("team") != user.team:
            raise Forbidden("not_your_team")
        if not isinstance(ref, str) or ref in opened:
            continue
        if not belongs_to_team(services, ref, user.team):
            raise Forbidden("not_your_team")


def _first_contacts(services: Services, user: User, events: Sequence[Any]) -> set[str]:
    """The cases a field worker opens in this submission: each a CaseOpened of a case not
    stored yet, followed up in the same submission by the worker's own team."""
    followed_up = {
        event.get("case")
        for event in events
        if isinstance(event, dict)
        and event.get("type") == "FollowUpLogged"
        and user.team is not None
        and event.get("team") == user.team
    }
    opened: set[str] = set()
    for event in events:
        if not isinstance(event, dict) or event.get("type") != "CaseOpened":
            continue
        ref = event.get("case")
        if not isinstance(ref, str) or ref not in followed_up:
            raise Forbidden("first_contact_needs_follow_up")
        try:
            services.app.get_case(ref)
        except UnknownCase:
            opened.add(ref)
            continue
        raise Forbidden("not_your_team")
    return opened


def _check_own_entry(services: Services, user: User, event: dict[str, Any]) -> None:
    """A field worker retracts only an entry of a case they logged themselves."""
    ref, target = event.get("case"), event.get("target")
    if not isinstance(ref, str) or not isinstance(target, str):
        raise Forbidden()
    try:
        entry = services.app.get_case(ref).by_id.get(target)
    except UnknownCase:
        return  # the event rules refuse it
    if entry is not None and entry.by != user.name:
        raise Forbidden("not_your_entry")
