"""The users' roles and what each role may do: its permissions, and the case events a field
worker may log (for cases of their own team)."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    FIELD = "field"
    CASEWORKER = "caseworker"
    LEADER = "leader"
    ADMIN = "admin"


class Permission(StrEnum):
    WRITE_FIELD_EVENTS = "write_field_events"  # a few case event types, own team's cases
    WRITE_CASE_EVENTS = "write_case_events"
    WRITE_DWELLING_EVENTS = "write_dwelling_events"
    WRITE_RESTRICTED_CASES = "write_restricted_cases"  # case events, restricted cases only
    READ_TEAM_CASES = "read_team_cases"  # only cases that belong to the user's team
    READ_CASES = "read_cases"
    READ_RESTRICTED_CASES = "read_restricted_cases"
    READ_WAITING_LIST = "read_waiting_list"
    READ_REPORTS = "read_reports"
    READ_DWELLINGS = "read_dwellings"
    READ_ACCESS_LOG = "read_access_log"  # of one case
    AUDIT_ACCESS_LOG = "audit_access_log"  # the whole log, flagged reads among it
    MANAGE_USERS = "manage_users"
    ERASE_CASES = "erase_cases"


P = Permission
PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.FIELD: frozenset({P.WRITE_FIELD_EVENTS, P.READ_TEAM_CASES, P.READ_DWELLINGS}),
    Role.CASEWORKER: frozenset(
        {
            P.WRITE_CASE_EVENTS,
            P.WRITE_DWELLING_EVENTS,
            P.READ_CASES,
            P.READ_WAITING_LIST,
            P.READ_REPORTS,
            P.READ_DWELLINGS,
            P.READ_ACCESS_LOG,
        }
    ),
    Role.LEADER: frozenset({P.READ_REPORTS, P.READ_DWELLINGS}),
    Role.ADMIN: frozenset(
        {
            P.READ_CASES,
            P.READ_RESTRICTED_CASES,
            P.WRITE_RESTRICTED_CASES,
            P.READ_ACCESS_LOG,
            P.AUDIT_ACCESS_LOG,
            P.READ_DWELLINGS,
            P.MANAGE_USERS,
            P.ERASE_CASES,
        }
    ),
}

# What a field worker (Housing First, caretaker) may log, for cases of their own team.
FIELD_EVENT_TYPES: frozenset[str] = frozenset(
    {
        "FollowUpLogged",
        "ComplaintReceived",
        "ComplaintClosed",
        "ConcernReported",
        "TemporaryStayStarted",
        "TemporaryStayEnded",
    }
)
