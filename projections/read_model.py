"""What a read model is: tables, and the rows one case or dwelling contributes to them."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Generic, Protocol, TypeVar

from projections.db import Row, Table
from projections.history import Recorded

T = TypeVar("T")

Rows = Mapping[str, Sequence[Row]]


@dataclass(frozen=True)
class ReadModel(Generic[T]):
    """A read model over one stream ("case" or "dwelling").

    Its rows for a ref are all the rows derived from that ref's history (a timeline, replayed
    from the start or continued from where the previous batch left it); the runner writes the
    difference from the ref's previous rows. The first column of every table is the ref.
    """

    name: str
    stream: str
    tables: tuple[Table, ...]
    rows: Callable[[T], Rows]


AnyReadModel = ReadModel[Any]


class Replay(Protocol):
    """A ref's history replayed so far, which later events may continue."""

    position: int  # the last recorded position applied

    def can_continue(self, events: Iterable[Recorded]) -> bool:
        """Whether applying these later events (in recording order) gives what a replay of
        the whole history would."""
        ...

    def extend(self, events: Iterable[Recorded]) -> None: ...

    def subject(self) -> Any:
        """What the stream's read models derive their rows from."""
        ...
