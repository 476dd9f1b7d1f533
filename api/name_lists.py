"""Names on the lists people work from (issue 13): Mine saker, the case list, the waiting list
and the alerts on it, the waiting list's download, the allocation page.

The caller decides which cases the viewer may see (their team's for a field user, restricted
ones only for admins); this module opens the contact names of the cases a view shows
(domain/contact_names.py, «[slettet]» for an erased case) and writes the view to the access
log: one entry per case shown, all in one transaction, under the view's route.
"""

from __future__ import annotations

from collections.abc import Iterable

from api.services import Services
from api.users import User
from domain.contact_names import contact_names


def names_shown(services: Services, user: User, refs: Iterable[str], route: str) -> dict[str, str]:
    """The contact name of each case the view shows; the view is logged once, with its cases."""
    shown = list(dict.fromkeys(refs))
    names = contact_names(services.app, shown)
    services.access_log.record_many(user, shown, route, now=services.now())
    return names
