"""The value sets of EVENTS.md, in contract order (reports list them in this order)."""

from __future__ import annotations

GROUPS: tuple[str, ...] = (
    "families",
    "families_adapted",
    "adults_adapted",
    "mental_health_substance",
    "other",
    "refugee",
    "refugee_ukraine",
)
SITUATIONS: tuple[str, ...] = (
    "temporary",
    "friends_family",
    "rough",
    "institution",
    "unsuitable",
    "other",
)
HOMELESS_SITUATIONS: tuple[str, ...] = ("temporary", "friends_family", "rough", "institution")
CATEGORIES: tuple[str, ...] = (
    "ordinary_co_owned",
    "ordinary_municipal",
    "lifetime_standard",
    "leased_in",
    "small_house",
    "emergency_families",
    "emergency_substance_mental",
    "referral",
)
TEAMS: tuple[str, ...] = ("housing_first", "caretaker", "housing_office", "nav", "other")
PRIORITIES: tuple[str, ...] = ("urgent", "high", "normal")
DECISIONS: tuple[str, ...] = ("approved", "rejected")
APPEAL_OUTCOMES: tuple[str, ...] = ("upheld", "overturned")
STAY_KINDS: tuple[str, ...] = (
    "hotel",
    "hostel",
    "emergency_dwelling",
    "camping_cabin",
    "crisis_centre",
    "other",
)
TENURES: tuple[str, ...] = (
    "municipal_rental",
    "referral_agreement",
    "private_rental",
    "start_loan_purchase",
    "other",
)
MANAGED_TENURES: tuple[str, ...] = ("municipal_rental", "referral_agreement")
MOVE_OUT_REASONS: tuple[str, ...] = ("lease_ended", "eviction", "own_choice", "deceased", "other")
COMPLAINT_CATEGORIES: tuple[str, ...] = ("noise", "threats_violence", "damage", "hygiene", "other")
COMPLAINT_SOURCES: tuple[str, ...] = ("neighbour", "housing_cooperative", "police", "other")
COMPLAINT_OUTCOMES: tuple[str, ...] = (
    "resolved",
    "warning_issued",
    "unfounded",
    "eviction_started",
)
FOLLOW_UP_KINDS: tuple[str, ...] = (
    "home_visit",
    "phone",
    "accompaniment",
    "meeting",
    "practical_help",
)
CONCERN_RECIPIENTS: tuple[str, ...] = ("child_welfare", "nav", "health", "police", "other")
HOUSING_FIRST_END_REASONS: tuple[str, ...] = (
    "completed",
    "dropped_out",
    "moved_away",
    "deceased",
    "other",
)
WITHDRAWAL_REASONS: tuple[str, ...] = (
    "own_solution",
    "moved_away",
    "no_contact",
    "deceased",
    "other",
)
RETIREMENT_REASONS: tuple[str, ...] = ("sold", "demolished", "lease_ended", "other")

# The school districts are configuration, not a value set: domain/municipality.py.

CASE_EVENT_TYPES: tuple[str, ...] = (
    "CaseOpened",
    "ApplicationReceived",
    "ApplicationDecided",
    "AppealReceived",
    "AppealDecided",
    "GroupChanged",
    "HouseholdChanged",
    "SituationChanged",
    "TemporaryStayStarted",
    "TemporaryStayEnded",
    "Settled",
    "LeaseRenewed",
    "MovedOut",
    "ComplaintReceived",
    "ComplaintClosed",
    "FollowUpLogged",
    "ConcernReported",
    "HousingFirstEnrolled",
    "HousingFirstEnded",
    "Withdrawn",
    "CaseClosed",
    "CaseReopened",
    "EventRetracted",
)
DWELLING_EVENT_TYPES: tuple[str, ...] = ("DwellingRegistered", "DwellingRetired")
EVENT_TYPES: tuple[str, ...] = CASE_EVENT_TYPES + DWELLING_EVENT_TYPES
