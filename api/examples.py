"""Example events for the OpenAPI page: the examples the payload classes carry (domain/payloads),
taken from tests/samples (format: docs/events.md)."""

from __future__ import annotations

from typing import Any

from domain.payloads import CaseOpened, Envelope, FollowUpLogged, TemporaryStayStarted


def example_of(payload: type[Envelope]) -> dict[str, Any]:
    """The example event a payload class carries."""
    if payload.example is None:
        raise LookupError(f"{payload.__name__} carries no example")
    return dict(payload.example)


FOLLOW_UP = example_of(FollowUpLogged)
CASE_OPENED = example_of(CaseOpened)
STAY_STARTED = example_of(TemporaryStayStarted)
BATCH: list[dict[str, Any]] = [CASE_OPENED, STAY_STARTED]
