"""What a read model is: tables, and the rows one case or dwelling contributes to them."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from projections.db import Row, Table

T = TypeVar("T")

Rows = Mapping[str, Sequence[Row]]


@dataclass(frozen=True)
class ReadModel(Generic[T]):
    """A read model over one stream ("case" or "dwelling").

    Its rows for a ref are derived from that ref's full history (replayed once per batch into
    a timeline) and replace the ref's previous rows. The first column of every table is the ref.
    """

    name: str
    stream: str
    tables: tuple[Table, ...]
    rows: Callable[[T], Rows]


AnyReadModel = ReadModel[Any]
