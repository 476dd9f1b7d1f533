"""Who read which case, when, through which route and why: an append-only table.

Database triggers refuse UPDATE, DELETE (and, on PostgreSQL, TRUNCATE) of the table, so not
even a bug in this service can rewrite the log; no route changes it either. A read outside the
reader's own team (a field user with a stated reason) is flagged, for admins to review.
"""

from __future__ import annotations

import getpass
import os
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from api.users import User
from domain.storage import Sql

REASON_MAX = 200
CLI_ROLE = "cli"
WHOLE_STORE = "*"  # the case of an entry for a read of every case (a whole export)
# Eight or more digits in a row (a space between them allowed): a phone number or national id,
# personal data the log must not hold, typed into a reason by mistake.
LONG_NUMBER = re.compile(r"\d(?:\s?\d){7,}")


def operating_system_user() -> str:
    """Who runs the command line: the operating-system user (their uid if it has no name)."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return f"uid {os.getuid()}"


def acceptable_reason(reason: str) -> bool:
    """Whether a stated reason may be kept: at most REASON_MAX characters, no control
    characters (a line break would forge a line of the CLI's log), no phone number or
    national id."""
    return (
        len(reason) <= REASON_MAX
        and not any(unicodedata.category(c) == "Cc" for c in reason)
        and LONG_NUMBER.search(reason) is None
    )


@dataclass(frozen=True)
class AccessEntry:
    """One read of a case's personal data."""

    at: str
    user: str
    role: str
    case: str
    route: str
    reason: str | None
    flagged: bool = False


class AccessLog:
    """Appends reads of cases and lists them, newest first."""

    def __init__(self, sql: Sql) -> None:
        self.sql = sql
        self.table = sql.table("access_log")

    def ensure_table(self) -> None:
        key = (
            "id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY"
            if self.sql.postgres
            else "id INTEGER PRIMARY KEY AUTOINCREMENT"
        )
        self.sql.execute(
            f"CREATE TABLE IF NOT EXISTS {self.table} ({key}, at TEXT NOT NULL,"
            " user_name TEXT NOT NULL, role TEXT NOT NULL, case_ref TEXT NOT NULL,"
            " route TEXT NOT NULL, reason TEXT, flagged BOOLEAN NOT NULL DEFAULT FALSE)",
        )
        self._add_flagged_column()
        self.sql.execute(
            f"CREATE INDEX IF NOT EXISTS access_log_by_case ON {self.table} (case_ref, id)",
        )
        if self.sql.postgres:
            self._guard_postgres()
        else:
            for action in ("UPDATE", "DELETE"):
                self.sql.execute(
                    f"CREATE TRIGGER IF NOT EXISTS access_log_no_{action.lower()}"
                    f" BEFORE {action} ON access_log"
                    " BEGIN SELECT RAISE(ABORT, 'access_log is append-only'); END",
                )

    def _add_flagged_column(self) -> None:
        """Stores made before reads were flagged lack the column: add it (old reads unflagged).

        Adding a column is no UPDATE or DELETE, so the append-only triggers stay and allow it.
        """
        if self.sql.postgres:
            self.sql.execute(
                f"ALTER TABLE {self.table}"
                " ADD COLUMN IF NOT EXISTS flagged BOOLEAN NOT NULL DEFAULT FALSE",
            )
            return
        columns = {str(row[1]) for row in self.sql.query("PRAGMA table_info(access_log)")}
        if "flagged" not in columns:
            self.sql.execute(
                f"ALTER TABLE {self.table} ADD COLUMN flagged BOOLEAN NOT NULL DEFAULT FALSE",
            )

    def _guard_postgres(self) -> None:
        schema = self.sql.schema
        function = f"{schema}.access_log_append_only"
        self.sql.execute(
            f"CREATE OR REPLACE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS"
            " $$ BEGIN RAISE EXCEPTION 'access_log is append-only'; END $$",
        )
        exists = self.sql.query(
            "SELECT 1 FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid"
            " JOIN pg_namespace n ON n.oid = c.relnamespace"
            " WHERE n.nspname = ? AND c.relname = 'access_log'"
            " AND t.tgname = 'access_log_append_only'",
            [schema],
        )
        if not exists:
            self.sql.execute(
                f"CREATE TRIGGER access_log_append_only BEFORE UPDATE OR DELETE OR TRUNCATE"
                f" ON {self.table} FOR EACH STATEMENT EXECUTE FUNCTION {function}()",
            )

    def record(
        self,
        user: User,
        case: str,
        route: str,
        reason: str | None,
        *,
        now: datetime,
        flagged: bool = False,
    ) -> None:
        self.sql.execute(
            f"INSERT INTO {self.table} (at, user_name, role, case_ref, route, reason, flagged)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            [
                now.isoformat(timespec="seconds"),
                user.name,
                user.role.value,
                case,
                route,
                reason,
                flagged,
            ],
        )

    def record_shown(self, user: User, cases: Sequence[str], route: str, *, now: datetime) -> None:
        """A list that showed these cases to the user (a search's results): one entry per
        case, in one transaction. The search text is not kept (it may be a name, a national
        id or a phone number)."""
        if not cases:
            return
        statement = (
            f"INSERT INTO {self.table} (at, user_name, role, case_ref, route, reason, flagged)"
            " VALUES (?, ?, ?, ?, ?, NULL, FALSE)"
        )
        if self.sql.postgres:
            statement = statement.replace("?", "%s")
        at = now.isoformat(timespec="seconds")
        with self.sql.transaction() as cursor:
            for case in cases:
                cursor.execute(statement, [at, user.name, user.role.value, case, route])

    def record_cli(self, cases: Sequence[str], route: str, *, now: datetime) -> None:
        """Reads through the command line, one entry per case, by the operating-system user
        with the role "cli"; WHOLE_STORE stands for every case."""
        at, who = now.isoformat(timespec="seconds"), operating_system_user()
        statement = (
            f"INSERT INTO {self.table} (at, user_name, role, case_ref, route, reason, flagged)"
            " VALUES (?, ?, ?, ?, ?, NULL, FALSE)"
        )
        if self.sql.postgres:
            statement = statement.replace("?", "%s")
        with self.sql.transaction() as cursor:
            for case in cases:
                cursor.execute(statement, [at, who, CLI_ROLE, case, route])

    def entries(
        self, case: str | None = None, limit: int = 1000, *, flagged: bool | None = None
    ) -> list[AccessEntry]:
        """Entries newest first: of one case, or all; only flagged (or unflagged) ones if asked."""
        conditions: list[str] = []
        params: list[object] = []
        if case is not None:
            conditions.append("case_ref = ?")
            params.append(case)
        if flagged is not None:
            conditions.append("flagged = ?")
            params.append(flagged)
        where = f"WHERE {' AND '.join(conditions)}" if conditions else ""
        rows = self.sql.query(
            f"SELECT at, user_name, role, case_ref, route, reason, flagged FROM {self.table}"
            f" {where} ORDER BY id DESC LIMIT ?",
            [*params, limit],
        )
        return [
            AccessEntry(
                str(a), str(u), str(r), str(c), str(ro), None if why is None else str(why), bool(f)
            )
            for a, u, r, c, ro, why, f in rows
        ]
