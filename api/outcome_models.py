"""The bodies of the outcome report and the data-quality lists (docs/figures.md), key
for key."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel


class DwellingsAtEnd(BaseModel):
    municipal: int
    referral: int


class KostraApplications(BaseModel):
    received: int
    new_households: int
    approved: int
    rejected: int


class KostraHouseholds(BaseModel):
    total: int
    new_households: int
    by_group: dict[str, int]  # refugees, adapted, mental_health_substance, other


class KostraTemporaryHousing(BaseModel):
    households: int
    with_children: int
    nights: int
    households_14_nights_or_fewer: int
    households_90_nights_or_more: int
    share_14_nights_or_fewer: float | None


class Kostra(BaseModel):
    dwellings_at_end: DwellingsAtEnd
    applications: KostraApplications
    allocated: KostraHouseholds
    waiting_list_end: KostraHouseholds
    temporary_housing: KostraTemporaryHousing


class Returns(BaseModel):
    cohort: int
    within_6_months: int
    within_12_months: int
    within_24_months: int


class Outcomes(BaseModel):
    homeless_in_year: int
    first_time_homeless: int
    median_days_homeless: int | None
    returns_to_homelessness: Returns


class OutcomeReport(BaseModel):
    """The outcome report for a year (docs/figures.md)."""

    year: int
    kostra: Kostra
    outcomes: Outcomes


class DataQualityChecks(BaseModel):
    lease_expired: list[str]
    municipal_rental_without_lease_end: list[str]
    stay_without_contact_30_days: list[str]
    decision_pending_over_30_days: list[str]
    waiting_without_contact_365_days: list[str]
    homeless_without_follow_up_30_days: list[str]


class DataQualityLists(BaseModel):
    """The data-quality lists as of a day (docs/figures.md): case refs only, those the
    user may read."""

    as_of: date
    checks: DataQualityChecks
