"""Which read models exist. The event log comes first: the others are derived from it."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from projections import (
    applications,
    case_status,
    complaints,
    dwellings,
    event_log,
    follow_ups,
    homeless,
    homeless_intervals,
    housing_first,
    kostra_facts,
    leases,
    occupancy,
    pending_applications,
    temporary_stays,
    waiting_list,
)
from projections.case_timeline import case_replay
from projections.history import Recorded
from projections.read_model import AnyReadModel, Replay

READ_MODELS: tuple[AnyReadModel, ...] = (
    case_status.READ_MODEL,
    waiting_list.READ_MODEL,
    temporary_stays.READ_MODEL,
    homeless.READ_MODEL,
    occupancy.READ_MODEL,
    leases.READ_MODEL,
    dwellings.READ_MODEL,
    complaints.READ_MODEL,
    follow_ups.READ_MODEL,
    housing_first.READ_MODEL,
    applications.READ_MODEL,
    homeless_intervals.READ_MODEL,
    pending_applications.READ_MODEL,
    kostra_facts.READ_MODEL,
)

# How a ref's history is replayed into what its read models derive rows from.
REPLAYS: dict[str, Callable[[str, Iterable[Recorded]], Replay]] = {
    "case": case_replay,
    "dwelling": dwellings.dwelling_replay,
}

EVENT_LOG_NAME = event_log.NAME


def names(read_models: Iterable[AnyReadModel] = READ_MODELS) -> list[str]:
    """Every tracked name: the event log, then the read models."""
    return [EVENT_LOG_NAME, *(model.name for model in read_models)]
