"""Which read models exist. The event log comes first: the others are derived from it."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from projections import (
    applications,
    case_status,
    complaints,
    dwellings,
    event_log,
    follow_ups,
    homeless,
    housing_first,
    leases,
    occupancy,
    temporary_stays,
    waiting_list,
)
from projections.case_timeline import case_timeline
from projections.history import Recorded
from projections.read_model import AnyReadModel

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
)

# How a ref's history becomes the subject its read models derive rows from.
SUBJECTS: dict[str, Callable[[str, Iterable[Recorded]], Any]] = {
    "case": case_timeline,
    "dwelling": dwellings.dwelling_record,
}

EVENT_LOG_NAME = event_log.NAME


def names(read_models: Iterable[AnyReadModel] = READ_MODELS) -> list[str]:
    """Every tracked name: the event log, then the read models."""
    return [EVENT_LOG_NAME, *(model.name for model in read_models)]
