"""The report bodies of docs/figures.md, key for key (value sets are listed in full there)."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel


class WaitingListFigures(BaseModel):
    total: int
    by_group: dict[str, int]
    by_priority: dict[str, int]
    median_days_waiting: int | None


class HomelessFigures(BaseModel):
    total: int
    with_children: int
    by_situation: dict[str, int]


class TemporaryHousingNow(BaseModel):
    current_stays: int
    households_with_children: int
    over_90_nights: int
    median_nights: int | None
    max_nights: int | None


class DistrictDwellings(BaseModel):
    lifetime_standard: int
    other: int


class DwellingFigures(BaseModel):
    total_municipal: int
    by_category: dict[str, int]
    by_district: dict[str, DistrictDwellings]
    occupied: int
    vacant: int


class HousingFirstNow(BaseModel):
    enrolled: int


class StatusReport(BaseModel):
    """The status report as of a day (docs/figures.md)."""

    as_of: date
    waiting_list: WaitingListFigures
    homeless: HomelessFigures
    temporary_housing: TemporaryHousingNow
    dwellings: DwellingFigures
    housing_first: HousingFirstNow
    leases_expiring_90_days: int


class ApplicationFigures(BaseModel):
    received: int
    approved: int
    rejected: int
    appeals_received: int
    appeals_overturned: int


class WaitingListFlows(BaseModel):
    start: int
    end: int
    joined: int
    left_settled: int
    left_withdrawn: int
    left_closed: int
    median_days_to_settlement: int | None


class SettlementFigures(BaseModel):
    total: int
    by_tenure: dict[str, int]
    by_group: dict[str, int]


class MovedOutFigures(BaseModel):
    total: int
    by_reason: dict[str, int]


class TemporaryHousingYear(BaseModel):
    stays_started: int
    nights: int
    households: int
    households_with_children: int
    stays_over_90_nights: int
    median_nights_ended: int | None


class ComplaintFigures(BaseModel):
    received: int
    by_district: dict[str, int]
    by_category: dict[str, int]
    closed_by_outcome: dict[str, int]


class TeamFollowUp(BaseModel):
    contacts: int
    minutes: int
    households: int


class FollowUpFigures(BaseModel):
    by_team: dict[str, TeamFollowUp]


class ConcernFigures(BaseModel):
    by_recipient: dict[str, int]


class HousingFirstYear(BaseModel):
    new: int
    ended: int
    enrolled_end: int


class AnnualReport(BaseModel):
    """The annual report for a year (docs/figures.md)."""

    year: int
    applications: ApplicationFigures
    waiting_list: WaitingListFlows
    settlements: SettlementFigures
    moved_out: MovedOutFigures
    temporary_housing: TemporaryHousingYear
    complaints: ComplaintFigures
    follow_up: FollowUpFigures
    concerns: ConcernFigures
    housing_first: HousingFirstYear
