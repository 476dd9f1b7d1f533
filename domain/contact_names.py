"""The households' contact names for the lists people work from (Mine saker, the case list, the
waiting list, alerts, search results): one call for many cases.

A name is the contact person's as the case was opened (the only event that carries one), opened
with the case's own key; an erased case reads «[slettet]», a case without a name the empty
string. Who may see which case is the caller's decision, and so is the access log entry: this
module only opens what it is asked for.

A list of hundreds is read in a few queries, not two per case: the opening events (version 1 of
each case, never changed) in one query per 400 cases, their keys in one per 500, each opened
with the key as it is now (so an erasure shows at once). A service without the store's parts
(a test double, say) is asked case by case.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, Protocol

from eventsourcing.persistence import StoredEvent

from domain import sealing
from domain.case import case_id

CHUNK = 400
OPENING_VERSION = 1  # the case's first event, CaseOpened


class ReadsPeople(Protocol):
    def case_person(self, ref: str) -> dict[str, Any]: ...


def contact_names(service: ReadsPeople, refs: Iterable[str]) -> dict[str, str]:
    """Each case ref's contact name, in the order asked."""
    wanted = list(dict.fromkeys(refs))
    if not all(hasattr(service, part) for part in ("aggregates", "keys")):
        return {ref: str(service.case_person(ref).get("name", "")) for ref in wanted}
    store: Any = service
    opened = _openings(store, wanted)
    keys = store.keys.lookup([case_id(ref) for ref in opened])
    names: dict[str, str] = {}
    for ref in wanted:
        if ref not in opened:
            names[ref] = str(service.case_person(ref).get("name", ""))
            continue
        event_id, sealed = opened[ref]
        person = sealing.unseal(keys.get(case_id(ref)), event_id, sealed).get("person", {})
        names[ref] = str(person.get("name", "")) if isinstance(person, dict) else ""
    return names


def _openings(service: Any, refs: Sequence[str]) -> dict[str, tuple[str, str | None]]:
    """(event id, sealed personal fields) of each case's opening event, by case ref."""
    aggregates = service.aggregates
    table = aggregates.sql.table(aggregates.events_table)
    found: dict[str, tuple[str, str | None]] = {}
    with aggregates.reading() as query:
        for start in range(0, len(refs), CHUNK):
            chunk = [case_id(ref) for ref in refs[start : start + CHUNK]]
            marks = ", ".join("?" for _ in chunk)
            for aggregate_id, topic, state in query(
                f"SELECT originator_id, topic, state FROM {table}"
                f" WHERE originator_id IN ({marks}) AND originator_version = ?",
                [*chunk, OPENING_VERSION],
            ):
                stored = StoredEvent(str(aggregate_id), OPENING_VERSION, str(topic), bytes(state))
                event = aggregates.mapper.to_domain_event(stored)
                ref = str(aggregate_id).split(":", 1)[1]
                found[ref] = (str(event.event_id), getattr(event, "sealed", None))
    return found
