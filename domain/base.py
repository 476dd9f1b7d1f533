"""An aggregate base with text ids (``case:S-1``), for eventsourcing 9.5.6's BaseAggregate."""

from __future__ import annotations

from datetime import datetime

from eventsourcing.domain import (
    BaseAggregate,
    CanInitAggregate,
    CanMutateAggregate,
    MetaDomainEvent,
)


class TextEvent(CanMutateAggregate[str], metaclass=MetaDomainEvent):
    """An aggregate event whose originator id is text."""

    originator_id: str
    originator_version: int
    timestamp: datetime


class TextCreated(TextEvent, CanInitAggregate[str]):
    """The first event of an aggregate whose id is text."""

    originator_topic: str


class TextAggregate(BaseAggregate[str]):
    """Base of Case and Dwelling: ids are readable text, not UUIDs."""

    class Event(TextEvent):
        pass

    class Created(Event, TextCreated):
        pass
