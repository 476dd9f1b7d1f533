"""The data-quality lists as a user may see them: role-scoped, each showing logged.

The lists come from the read models (`projections.data_quality`); here they are cut to what the
user may read (restricted cases only for admins, field users only their team's cases), and the
cases a view shows are written to the access log, one entry per case shown.
"""

from __future__ import annotations

from datetime import date

from api import case_access
from api.case_summaries import teams_of
from api.services import Services
from api.users import Permission, User
from projections.data_quality import data_quality_checks


def visible_checks(services: Services, user: User, day: date) -> dict[str, list[str]]:
    """Each check's sorted case refs on the day, without the cases the user may not read.

    The read models are caught up first (a list must not miss what was just logged)."""
    services.reads.refresh(services.app)
    with services.reads.reading() as tx:
        checks = data_quality_checks(tx, day.isoformat())
        listed = sorted({ref for refs in checks.values() for ref in refs})
        teams = None if user.may(Permission.READ_CASES) else teams_of(tx, listed)
    hidden = case_access.hidden_cases(services, user)

    def readable(ref: str) -> bool:
        if ref in hidden:
            return False
        return teams is None or (user.team is not None and user.team in teams.get(ref, []))

    return {name: [ref for ref in refs if readable(ref)] for name, refs in checks.items()}


def log_shown(services: Services, user: User, checks: dict[str, list[str]], route: str) -> None:
    """One access-log entry per case the view shows, written in one transaction."""
    shown = sorted({ref for refs in checks.values() for ref in refs})
    services.access_log.record_many(user, shown, route, now=services.now())
