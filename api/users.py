"""Users, their roles and bearer tokens; shared by the API and the web pages.

A token is `<token id>.<secret>`: the id finds the user's row, the secret is kept only as its
SHA-256 and compared in constant time. The plain token is shown once, when the user is added.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from domain.storage import Sql
from domain.values import TEAMS


class Role(StrEnum):
    FIELD = "field"
    CASEWORKER = "caseworker"
    LEADER = "leader"
    ADMIN = "admin"


class Permission(StrEnum):
    WRITE_FIELD_EVENTS = "write_field_events"  # a few case event types, own team's cases
    WRITE_CASE_EVENTS = "write_case_events"
    WRITE_DWELLING_EVENTS = "write_dwelling_events"
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

NAME_PATTERN = re.compile(r"[a-z0-9][a-z0-9._-]{0,63}")


class UserRefused(ValueError):
    """Raised when a user cannot be added as asked (bad name, role or team, or name taken)."""


@dataclass(frozen=True)
class User:
    """A signed-in person: the name is what events record as `by`."""

    name: str
    role: Role
    team: str | None
    created_at: str

    def may(self, permission: Permission) -> bool:
        return permission in PERMISSIONS[self.role]


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


class UserStore:
    """The users table, in the event store's database."""

    def __init__(self, sql: Sql) -> None:
        self.sql = sql
        self.table = sql.table("users")

    def ensure_table(self) -> None:
        self.sql.execute(
            f"CREATE TABLE IF NOT EXISTS {self.table} ("
            " name TEXT PRIMARY KEY, role TEXT NOT NULL, team TEXT, created_at TEXT NOT NULL,"
            " token_id TEXT NOT NULL UNIQUE, token_hash TEXT NOT NULL)",
        )

    def add(self, name: str, role: str, team: str | None, *, now: datetime) -> tuple[User, str]:
        """Add a user; returns the user and the token (shown once, stored only hashed)."""
        if not NAME_PATTERN.fullmatch(name):
            raise UserRefused(
                "navnet må være 1–64 tegn: små bokstaver, sifre, punktum, bindestrek og"
                " understrek, og begynne med bokstav eller siffer"
            )
        if role not in set(Role):
            raise UserRefused(f"ukjent rolle; velg en av {', '.join(r.value for r in Role)}")
        if role == Role.FIELD and team not in TEAMS:
            raise UserRefused(f"rollen field krever --team, en av {', '.join(TEAMS)}")
        if role != Role.FIELD and team is not None:
            raise UserRefused("--team gjelder bare rollen field")
        if self.get(name) is not None:
            raise UserRefused("det finnes allerede en bruker med dette navnet")
        token_id, secret = secrets.token_hex(8), secrets.token_urlsafe(32)
        user = User(name, Role(role), team, now.isoformat(timespec="seconds"))
        self.sql.execute(
            f"INSERT INTO {self.table} (name, role, team, created_at, token_id, token_hash)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            [name, role, team, user.created_at, token_id, _digest(secret)],
        )
        return user, f"{token_id}.{secret}"

    def authenticate(self, token: str) -> User | None:
        """The user a bearer token belongs to, or None."""
        token_id, _, secret = token.partition(".")
        if not token_id or not secret:
            return None
        rows = self.sql.query(
            f"SELECT name, role, team, created_at, token_hash FROM {self.table} WHERE token_id = ?",
            [token_id],
        )
        if not rows:
            _digest(secret)  # the same work whether or not the id exists
            return None
        name, role, team, created_at, token_hash = rows[0]
        if not hmac.compare_digest(_digest(secret), str(token_hash)):
            return None
        return User(str(name), Role(role), team, str(created_at))

    def get(self, name: str) -> User | None:
        rows = self.sql.query(
            f"SELECT name, role, team, created_at FROM {self.table} WHERE name = ?", [name]
        )
        return self._user(rows[0]) if rows else None

    def all(self) -> list[User]:
        rows = self.sql.query(
            f"SELECT name, role, team, created_at FROM {self.table} ORDER BY name"
        )
        return [self._user(row) for row in rows]

    @staticmethod
    def _user(row: tuple[object, ...]) -> User:
        name, role, team, created_at = row
        return User(
            str(name), Role(str(role)), None if team is None else str(team), str(created_at)
        )
