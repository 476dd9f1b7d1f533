"""Users over their whole life, their roles and bearer tokens; shared by the API, the web pages
and the command line.

A token is `<token id>.<secret>`: the id finds the user's row, the secret is kept only as its
SHA-256 and compared in constant time. The plain token is shown once, when the user is added or
the token rotated. Every change is written with its row in `user_changes` in one transaction.
Nothing is cached: every request reads the user's row, so a deactivation or a rotated token takes
effect in every process on its next request (and ends the user's web sessions at once).
The roles and what each may do: api/roles.py (named here too, where most callers import them).
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from api.roles import FIELD_EVENT_TYPES, PERMISSIONS, Permission, Role
from api.user_tables import ensure_user_tables
from domain.errors import UnknownUser, UserRefused
from domain.storage import Sql
from domain.values import TEAMS

NAME_PATTERN = re.compile(r"[a-z0-9][a-z0-9._-]{0,63}")
COLUMNS = "name, role, team, created_at, active"

__all__ = [
    "FIELD_EVENT_TYPES",
    "PERMISSIONS",
    "Permission",
    "Role",
    "UnknownUser",
    "UserRefused",
]


@dataclass(frozen=True)
class User:
    """A signed-in person: the name is what events record as `by`."""

    name: str
    role: Role
    team: str | None
    created_at: str
    active: bool = True

    def may(self, permission: Permission) -> bool:
        return permission in PERMISSIONS[self.role]


@dataclass(frozen=True)
class Actor:
    """Who changes a user, and through what: "api", "page", "cli" or "system"."""

    name: str
    via: str


SYSTEM = Actor("system", "system")


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def _new_token() -> tuple[str, str, str]:
    """A token id, its secret's digest and the whole token (shown once)."""
    token_id, secret = secrets.token_hex(8), secrets.token_urlsafe(32)
    return token_id, _digest(secret), f"{token_id}.{secret}"


def _check_role_and_team(role: str, team: str | None) -> None:
    if role not in set(Role):
        raise UserRefused(f"ukjent rolle; velg en av {', '.join(r.value for r in Role)}")
    if role == Role.FIELD and team not in TEAMS:
        raise UserRefused(f"rollen field krever et team, ett av {', '.join(TEAMS)}")
    if role != Role.FIELD and team is not None:
        raise UserRefused("team gjelder bare rollen field")


class _Writes:
    """Statements in one transaction, `?` placeholders on both databases."""

    def __init__(self, cursor: Any, postgres: bool) -> None:
        self.cursor = cursor
        self.postgres = postgres

    def run(self, statement: str, params: Sequence[object] = ()) -> int:
        self.cursor.execute(statement.replace("?", "%s") if self.postgres else statement, params)
        return int(getattr(self.cursor, "sqlite_cursor", self.cursor).rowcount or 0)


class UserStore:
    """The users table, in the event store's database, and every change made to it."""

    def __init__(self, sql: Sql) -> None:
        self.sql = sql
        self.table = sql.table("users")
        self.changes_table = sql.table("user_changes")
        self.sessions_table = sql.table("web_sessions")
        self.reasons_table = sql.table("web_session_reasons")

    def ensure_table(self) -> None:
        """Create the users' tables: users, their changes, web sessions and login failures."""
        ensure_user_tables(self.sql)

    @contextmanager
    def _writing(
        self, actor: Actor, user: str, change: str, detail: str | None, now: datetime
    ) -> Iterator[_Writes]:
        with self.sql.transaction() as cursor:
            writes = _Writes(cursor, self.sql.postgres)
            yield writes
            writes.run(
                f"INSERT INTO {self.changes_table} (at, by_name, via, user_name, change, detail)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                [now.isoformat(timespec="seconds"), actor.name, actor.via, user, change, detail],
            )

    def add(
        self,
        name: str,
        role: str,
        team: str | None,
        *,
        now: datetime,
        by: Actor = SYSTEM,
    ) -> tuple[User, str]:
        """Add a user; returns the user and the token (shown once, stored only hashed)."""
        if not NAME_PATTERN.fullmatch(name):
            raise UserRefused(
                "navnet må være 1–64 tegn: små bokstaver, sifre, punktum, bindestrek og"
                " understrek, og begynne med bokstav eller siffer"
            )
        _check_role_and_team(role, team)
        if self.get(name) is not None:
            raise UserRefused("det finnes allerede en bruker med dette navnet")
        token_id, token_hash, token = _new_token()
        user = User(name, Role(role), team, now.isoformat(timespec="seconds"))
        detail = f"rolle {role}" + (f", team {team}" if team else "")
        with self._writing(by, name, "added", detail, now) as writes:
            writes.run(
                f"INSERT INTO {self.table} (name, role, team, created_at, token_id, token_hash,"
                " active) VALUES (?, ?, ?, ?, ?, ?, TRUE)",
                [name, role, team, user.created_at, token_id, token_hash],
            )
        return user, token

    def change(self, name: str, *, role: str, team: str | None, now: datetime, by: Actor) -> User:
        """Give a user another role or team (a field user needs a team, others have none)."""
        user = self.require(name)
        _check_role_and_team(role, team)
        changed = [
            f"{what} {old or '-'} → {new or '-'}"
            for what, old, new in (("rolle", user.role.value, role), ("team", user.team, team))
            if old != new
        ]
        if not changed:
            raise UserRefused("brukeren har allerede denne rollen og dette teamet")
        with self._writing(by, name, "changed", ", ".join(changed), now) as writes:
            writes.run(
                f"UPDATE {self.table} SET role = ?, team = ? WHERE name = ?", [role, team, name]
            )
        return User(name, Role(role), team, user.created_at, user.active)

    def deactivate(self, name: str, *, now: datetime, by: Actor) -> None:
        """Take the user's access away: the token stops working and web sessions end."""
        user = self.require(name)
        if not user.active:
            raise UserRefused("brukeren er allerede deaktivert")
        if by.name == name:
            raise UserRefused("du kan ikke deaktivere deg selv")
        with self._writing(by, name, "deactivated", None, now) as writes:
            writes.run(f"UPDATE {self.table} SET active = FALSE WHERE name = ?", [name])
            self._end_sessions(writes, name)

    def reactivate(self, name: str, *, now: datetime, by: Actor) -> None:
        """Give a deactivated user access again, with the token they had."""
        if self.require(name).active:
            raise UserRefused("brukeren er allerede aktiv")
        with self._writing(by, name, "reactivated", None, now) as writes:
            writes.run(f"UPDATE {self.table} SET active = TRUE WHERE name = ?", [name])

    def rotate_token(self, name: str, *, now: datetime, by: Actor) -> str:
        """A new token for the user (shown once); the old one and the user's sessions end."""
        self.require(name)
        token_id, token_hash, token = _new_token()
        with self._writing(by, name, "token_rotated", None, now) as writes:
            writes.run(
                f"UPDATE {self.table} SET token_id = ?, token_hash = ? WHERE name = ?",
                [token_id, token_hash, name],
            )
            self._end_sessions(writes, name)
        return token

    def _end_sessions(self, writes: _Writes, name: str) -> None:
        writes.run(
            f"DELETE FROM {self.reasons_table} WHERE sid_hash IN"
            f" (SELECT sid_hash FROM {self.sessions_table} WHERE user_name = ?)",
            [name],
        )
        writes.run(f"DELETE FROM {self.sessions_table} WHERE user_name = ?", [name])

    def authenticate(self, token: str) -> User | None:
        """The active user a bearer token belongs to, or None."""
        token_id, _, secret = token.partition(".")
        if not token_id or not secret:
            return None
        rows = self.sql.query(
            f"SELECT {COLUMNS}, token_hash FROM {self.table} WHERE token_id = ?", [token_id]
        )
        if not rows:
            _digest(secret)  # the same work whether or not the id exists
            return None
        *columns, token_hash = rows[0]
        user = self._user(tuple(columns))
        if not hmac.compare_digest(_digest(secret), str(token_hash)) or not user.active:
            return None
        return user

    def get(self, name: str) -> User | None:
        """The user of this name, active or not."""
        rows = self.sql.query(f"SELECT {COLUMNS} FROM {self.table} WHERE name = ?", [name])
        return self._user(rows[0]) if rows else None

    def require(self, name: str) -> User:
        user = self.get(name)
        if user is None:
            raise UnknownUser("brukeren finnes ikke")
        return user

    def all(self) -> list[User]:
        rows = self.sql.query(f"SELECT {COLUMNS} FROM {self.table} ORDER BY name")
        return [self._user(row) for row in rows]

    @staticmethod
    def _user(row: tuple[object, ...]) -> User:
        name, role, team, created_at, active = row
        return User(
            str(name),
            Role(str(role)),
            None if team is None else str(team),
            str(created_at),
            bool(active),
        )
