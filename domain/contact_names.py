"""The households' contact names for the lists people work from (Mine saker, the case list, the
waiting list, alerts, search results): one call for many cases.

A name is the contact person's as the case was opened (the only event that carries one), opened
with the case's own key; an erased case reads «[slettet]», a case without a name the empty
string. Who may see which case is the caller's decision, and so is the access log entry: this
module only opens what it is asked for.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Protocol


class ReadsPeople(Protocol):
    def case_person(self, ref: str) -> dict[str, Any]: ...


def contact_names(service: ReadsPeople, refs: Iterable[str]) -> dict[str, str]:
    """Each case ref's contact name, in the order asked."""
    names: dict[str, str] = {}
    for ref in refs:
        if ref not in names:
            names[ref] = str(service.case_person(ref).get("name", ""))
    return names
