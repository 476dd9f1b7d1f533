"""Submitting events through the API: the same rules as the import, all or nothing.

The body is judged by the event rules as the import judges a line, so a refusal carries the
same reason. `by` is set to the signed-in user. The answer comes once the event is committed;
the read models are not caught up here: every read catches up first when the store has moved
(`ReadModels.refresh`), so a read right after still sees the change.
"""

from __future__ import annotations

import json
from typing import Any

from api.case_access import check_writable
from api.errors import InvalidRequest
from api.services import Services
from api.users import User
from domain import store_faults
from domain.application import Refusal, Refused
from domain.errors import InvalidEvent
from domain.records import REF

MAX_BATCH = 1000

NOT_JSON = object()


def _decoded(text: str) -> Any:
    try:
        return json.loads(text)
    except (ValueError, RecursionError):  # the event rules give the reason (records.parse_line)
        return NOT_JSON


def submit_one(services: Services, user: User, body: str) -> str:
    """Store one event; returns its id."""
    event = _decoded(body)
    line: str | dict[str, Any] = event if isinstance(event, dict) else body
    return _submit(services, user, [line])[0]


def submit_batch(services: Services, user: User, body: str) -> list[str]:
    """Store every event of a JSON list or none; returns their ids in order."""
    events = _decoded(body)
    if events is NOT_JSON:
        return _submit(services, user, [body])
    if not isinstance(events, list):
        raise InvalidRequest("batch_not_a_list")
    if not events:
        raise InvalidRequest("batch_empty")
    if len(events) > MAX_BATCH:
        raise InvalidRequest("batch_too_large")
    return _submit(
        services,
        user,
        [event if isinstance(event, dict) else json.dumps(event) for event in events],
    )


def _submit(services: Services, user: User, lines: list[str | dict[str, Any]]) -> list[str]:
    _check_refs(lines)
    check_writable(services, user, lines)
    stamped = [{**line, "by": user.name} if isinstance(line, dict) else line for line in lines]
    services.app.submit(list(enumerate(stamped, start=1)), default_by=user.name)
    store_faults.RECENT.cleared(services.settings.database_url)
    return [str(line["id"]) for line in stamped if isinstance(line, dict)]


def _check_refs(lines: list[str | dict[str, Any]]) -> None:
    """Refuse, as the event rules do, a case or dwelling ref outside the ref alphabet, before
    the permission checks look the ref up in the store (docs/refs.md)."""
    refusals: list[Refusal] = []
    for number, line in enumerate(lines, start=1):
        if not isinstance(line, dict):
            continue
        for key in ("case", "dwelling"):
            if isinstance(line.get(key), str):
                try:
                    REF(key, line[key])
                except InvalidEvent as error:
                    event_id = line.get("id")
                    shown = event_id if isinstance(event_id, str) else None
                    refusals.append(Refusal(number, shown, error.message, error.code, error))
                    break
    if refusals:
        raise Refused(refusals)
