"""The case page's summary: where the household stands today, and (for admins) the case's
restrictions and what an admin may do with it.

The standing is `projections.case_standing` folded from the case's own history as the page
reads it (so it shows what a form has just stored, without waiting for the read models); only
the dwelling's address and district and the watch list's alerts come from the read models.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from api.pages.alerts import alert_text
from api.pages.case_view import Entry
from api.pages.deps import Viewer
from api.pages.state import PagesState, norwegian_date, norwegian_time
from api.pages.texts import text
from api.users import Permission
from domain.application import HistoryItem
from domain.restrictions import RestrictionChange
from projections.case_standing import Standing, standing_from_events, with_alerts, with_dwelling


@dataclass(frozen=True)
class AdminView:
    """What an admin sees of a case's protection: whether it is restricted now, the log of
    restrictions and liftings, and whether its personal data is erased."""

    restricted: bool
    changes: tuple[RestrictionChange, ...]
    erased: bool


def standing_of(state: PagesState, ref: str, history: Sequence[HistoryItem]) -> Standing:
    """The household's standing today, from the history the page has read."""
    events = [item.record.to_json(personal={}) for item in history]
    standing = standing_from_events(ref, events, state.today().isoformat())
    with state.reading() as tx:
        standing = with_dwelling(tx, standing)
    alerts = [a.kind for a in state.services.reads.open_alerts(None) if a.case_ref == ref]
    return with_alerts(standing, [alert_text(kind) for kind in alerts])


def admin_view(state: PagesState, viewer: Viewer, ref: str, erased: bool) -> AdminView | None:
    """The admin's part of the summary; None for every other role."""
    if not viewer.may(Permission.ERASE_CASES):
        return None
    app = state.service
    return AdminView(app.is_restricted(ref), tuple(app.restriction_changes(ref)), erased)


def _iso(shown: str) -> str:
    """A page date (dd.mm.yyyy) back to ISO, for ordering."""
    day, month, year = shown.split(".")
    return f"{year}-{month}-{day}"


def with_restrictions(
    entries: Sequence[Entry],
    changes: Sequence[RestrictionChange],
    zone: ZoneInfo,
    *,
    show_reasons: bool,
) -> list[Entry]:
    """The timeline with each restriction and lifting in it, by the day it was made (the
    reason shown to admins alone: it can say why the case needs protection)."""
    made = []
    for n, change in reversed(list(enumerate(changes))):
        at = datetime.fromisoformat(change.at)
        details = ((text("error.details"), change.reason),) if show_reasons else ()
        made.append(
            Entry(
                event_id=f"sperring-{n + 1}",
                event_type=f"Restriction.{change.action}",
                title=text(f"restriction.{change.action}"),
                on=norwegian_date(at.astimezone(zone).date()),
                by=change.by,
                recorded_at=norwegian_time(at, zone),
                details=details,
                retracted=False,
                retraction_reason=None,
                can_retract=False,
            )
        )
    return sorted([*made, *entries], key=lambda e: _iso(e.on), reverse=True)


def summary_context(
    state: PagesState, viewer: Viewer, ref: str, history: Sequence[HistoryItem], erased: bool
) -> dict[str, Any]:
    """What `_case_summary.html` draws."""
    return {
        "standing": standing_of(state, ref, history),
        "admin": admin_view(state, viewer, ref, erased),
        "district_names": state.service.municipality.district_names,
    }
