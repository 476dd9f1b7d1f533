"""What the write side hands to read models: events in recording order, without personal data."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Change:
    """One stored event as read models see it."""

    position: int  # the store's notification id: strictly increasing, may have gaps
    stream: str  # "case" or "dwelling"
    ref: str  # the case ref or dwelling ref
    event: Mapping[str, Any]  # the interchange JSON object of EVENTS.md, without personal fields
