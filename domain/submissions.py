"""What a submission of interchange lines answers: the lines stored, or every refused line.

Both ways in (`Boligspor.submit`, the group commit's; `Boligspor.import_lines`, a file's) parse
their lines here and answer with these types.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from domain.errors import DomainError, InvalidEvent
from domain.records import EventRecord, parse_event, parse_line

Line = tuple[int, str | dict[str, Any]]


@dataclass(frozen=True)
class Refusal:
    """A refused line: its number in the submission, its event id and why."""

    line: int
    event_id: str | None
    message: str
    code: str
    # The error itself (its rule name and parameters), for a person's message in the label
    # catalogue (projections/refusal_texts.py); not part of what makes two refusals equal.
    error: DomainError | None = field(default=None, compare=False, repr=False)

    def __str__(self) -> str:
        where = f"line {self.line}" + (f" ({self.event_id})" if self.event_id else "")
        return f"{where}: {self.message}"


class Refused(DomainError):
    """Raised when any line of a submission is refused; nothing of it was stored."""

    code = "refused"

    def __init__(self, refusals: Sequence[Refusal]) -> None:
        super().__init__("; ".join(str(r) for r in refusals))
        self.refusals = list(refusals)


@dataclass
class Submitted:
    """What a submission stored: new event ids and ids already stored with the same content."""

    stored: list[str] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)


def parse_lines(
    lines: Iterable[Line], *, today: date, districts: Sequence[str]
) -> tuple[list[tuple[int, EventRecord]], list[Refusal]]:
    """The lines read as records, and a refusal for each line that is not a valid event."""
    records: list[tuple[int, EventRecord]] = []
    refusals: list[Refusal] = []
    for number, raw in lines:
        try:
            obj = parse_line(raw) if isinstance(raw, str) else raw
            records.append((number, parse_event(obj, today=today, districts=districts)))
        except InvalidEvent as error:
            refusals.append(Refusal(number, _id_of(raw), error.message, error.code, error))
    return records, refusals


def _id_of(raw: str | dict[str, Any]) -> str | None:
    if isinstance(raw, dict):
        value = raw.get("id")
        return value if isinstance(value, str) else None
    try:
        obj = json.loads(raw)
    except (ValueError, TypeError, RecursionError):
        return None
    value = obj.get("id") if isinstance(obj, dict) else None
    return value if isinstance(value, str) and len(value) <= 64 else None
