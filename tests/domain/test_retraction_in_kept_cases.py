"""A case kept in memory between commands (the group commit keeps the cases it saved; an
import keeps them between chunks) knows what it has had retracted: a second retraction of the
same entry is refused, and a retracted application no longer counts as pending.

Found by the model-based test (tests/model) after the group commit and the chunked import met:
a kept case took the state its retraction was decided on but not the retraction itself."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from domain.application import Boligspor, Refused

OPENED = {
    "id": "e1",
    "type": "CaseOpened",
    "case": "S-1",
    "on": "2024-01-01",
    "household": {"adults": 1, "children": 1},
    "group": "families",
    "situation": "rough",
    "person": {"name": "Person S-1"},
}
APPLIED = {"id": "e2", "type": "ApplicationReceived", "case": "S-1", "on": "2024-01-02"}


def retraction(event_id: str) -> dict[str, Any]:
    return {
        "id": event_id,
        "type": "EventRetracted",
        "case": "S-1",
        "on": "2024-01-02",
        "target": "e2",
        "reason": "feilført",
    }


def one_by_one(app: Boligspor, events: list[dict[str, Any]]) -> None:
    for event in events:
        app.submit([(1, json.dumps(event))])


def test_a_second_retraction_of_the_same_entry_is_refused_command_after_command(
    new_app: Callable[[], Boligspor],
) -> None:
    app = new_app()
    one_by_one(app, [OPENED, APPLIED, retraction("e3")])
    with pytest.raises(Refused) as refused:
        one_by_one(app, [retraction("e4")])
    assert "e2 is already retracted by e3" in refused.value.refusals[0].message
    assert app.lookup_ids(["e4"]) == {}


def test_a_retracted_application_is_not_pending_for_a_backdated_enrolment(
    new_app: Callable[[], Boligspor],
) -> None:
    app = new_app()
    again = {**APPLIED, "id": "e4"}
    enrolled = {"id": "e5", "type": "HousingFirstEnrolled", "case": "S-1", "on": "2024-01-01"}
    one_by_one(app, [OPENED, APPLIED, retraction("e3"), again, enrolled])
    assert set(app.lookup_ids(["e5"])) == {"e5"}


def test_a_second_retraction_in_a_later_chunk_of_an_import_is_refused(
    new_app: Callable[[], Boligspor],
) -> None:
    app = new_app()
    events = [OPENED, APPLIED, retraction("e3"), retraction("e4")]
    lines = [(n, json.dumps(event)) for n, event in enumerate(events, 1)]
    with pytest.raises(Refused) as refused:
        app.import_lines(lines, chunk_lines=1)
    [refusal] = refused.value.refusals
    assert refusal.line == 4
    assert "e2 is already retracted by e3" in refusal.message
    assert app.max_position() == 0
