"""Restrictions (sperring) of cases: an append-only log of each restriction and each lifting,
with who, when and why; a case is restricted while its latest entry is a restriction.

Database triggers refuse UPDATE and DELETE of the log (and TRUNCATE on PostgreSQL), so a
lifting never removes the restriction it ends: both stay, in order, for the case's history.
The stated reason can name people: it is sealed with the case's key like a note, and reads
«[slettet]» once the case is erased. Stores made before the log took their restrictions from
the table `case_restrictions` (one row per case, no lifting): they are moved into the log,
their reasons sealed, the first time such a store is opened.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from domain import sealing
from domain.case import case_id
from domain.errors import AlreadyRestricted, NotRestricted
from domain.keystore import KeyStore
from domain.storage import Sql

RESTRICTED = "restricted"
LIFTED = "lifted"
LOG = "case_restriction_log"


@dataclass(frozen=True)
class RestrictionChange:
    """One entry of the log: a restriction or a lifting of one, with its reason opened (or
    the erased mark)."""

    case_ref: str
    at: str
    by: str
    action: str  # RESTRICTED | LIFTED
    reason: str


class Restrictions:
    """Restricts cases and lifts restrictions; says which cases are restricted."""

    def __init__(self, sql: Sql, keys: KeyStore) -> None:
        self.sql = sql
        self.keys = keys
        self.table = sql.table(LOG)
        self._insert = (
            f"INSERT INTO {self.table} (change_id, case_ref, at, by_name, action, sealed_reason)"
            " VALUES (?, ?, ?, ?, ?, ?)"
        )

    def ensure(self) -> None:
        """Create the log, its append-only guard and index; move the old table's rows in."""
        key = (
            "id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY"
            if self.sql.postgres
            else "id INTEGER PRIMARY KEY AUTOINCREMENT"
        )
        self.sql.execute(
            f"CREATE TABLE IF NOT EXISTS {self.table} ({key}, change_id TEXT NOT NULL,"
            " case_ref TEXT NOT NULL, at TEXT NOT NULL, by_name TEXT NOT NULL,"
            " action TEXT NOT NULL, sealed_reason TEXT)",
        )
        self.sql.execute(
            f"CREATE INDEX IF NOT EXISTS {LOG}_by_case ON {self.table} (case_ref, id)",
        )
        if self.sql.postgres:
            self._guard_postgres()
        else:
            for action in ("UPDATE", "DELETE"):
                self.sql.execute(
                    f"CREATE TRIGGER IF NOT EXISTS {LOG}_no_{action.lower()}"
                    f" BEFORE {action} ON {LOG}"
                    f" BEGIN SELECT RAISE(ABORT, '{LOG} is append-only'); END",
                )
        self._move_old_rows()

    def _guard_postgres(self) -> None:
        function = f"{self.sql.schema}.{LOG}_append_only"
        exists = self.sql.query(
            "SELECT 1 FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid"
            " JOIN pg_namespace n ON n.oid = c.relnamespace"
            f" WHERE n.nspname = ? AND c.relname = '{LOG}' AND t.tgname = '{LOG}_append_only'",
            [self.sql.schema],
        )
        if exists:
            return
        self.sql.execute(
            f"CREATE OR REPLACE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS"
            f" $$ BEGIN RAISE EXCEPTION '{LOG} is append-only'; END $$",
        )
        self.sql.execute(
            f"CREATE TRIGGER {LOG}_append_only BEFORE UPDATE OR DELETE OR TRUNCATE"
            f" ON {self.table} FOR EACH STATEMENT EXECUTE FUNCTION {function}()",
        )

    def _move_old_rows(self) -> None:
        """Each old row goes into the log once, even when several processes open the store
        at the same time: the one whose DELETE removes the row writes it, in the same
        transaction."""
        old = self.sql.table("case_restrictions")
        rows = self.sql.query(
            f"SELECT case_ref, restricted_at, restricted_by, reason FROM {old}"
            " ORDER BY restricted_at"
        )
        mark = "%s" if self.sql.postgres else "?"
        for ref, at, by, reason in rows:
            insert = self._row(str(ref), str(at), str(by), RESTRICTED, str(reason))
            with self.sql.transaction() as cursor:
                cursor.execute(f"DELETE FROM {old} WHERE case_ref = {mark}", [ref])
                if getattr(cursor, "sqlite_cursor", cursor).rowcount == 1:
                    cursor.execute(self._insert.replace("?", mark), insert)

    # --- commands ------------------------------------------------------------------------------

    def restrict(self, ref: str, *, reason: str, by: str, now: datetime) -> None:
        """Only admins may read or write the case from now on; AlreadyRestricted if it is."""
        if self.is_restricted(ref):
            raise AlreadyRestricted(f"case {ref} is already restricted")
        self._append(ref, now.isoformat(), by, RESTRICTED, reason)

    def lift(self, ref: str, *, reason: str, by: str, now: datetime) -> None:
        """End the case's restriction (it stays in the log); NotRestricted if it has none."""
        if not self.is_restricted(ref):
            raise NotRestricted(f"case {ref} is not restricted")
        self._append(ref, now.isoformat(), by, LIFTED, reason)

    def _row(self, ref: str, at: str, by: str, action: str, reason: str) -> list[str | None]:
        change = uuid.uuid4().hex
        key = self.keys.get(case_id(ref))
        sealed = None if key is None else sealing.seal(key, change, {"reason": reason})
        return [change, ref, at, by, action, sealed]

    def _append(self, ref: str, at: str, by: str, action: str, reason: str) -> None:
        self.sql.execute(self._insert, self._row(ref, at, by, action, reason))

    # --- queries -------------------------------------------------------------------------------

    def is_restricted(self, ref: str) -> bool:
        rows = self.sql.query(
            f"SELECT action FROM {self.table} WHERE case_ref = ? ORDER BY id DESC LIMIT 1", [ref]
        )
        return bool(rows) and rows[0][0] == RESTRICTED

    def restricted_refs(self) -> frozenset[str]:
        """Every case restricted now."""
        return frozenset(
            str(ref)
            for (ref,) in self.sql.query(
                f"SELECT case_ref FROM {self.table} l WHERE action = ? AND id ="
                f" (SELECT MAX(id) FROM {self.table} m WHERE m.case_ref = l.case_ref)",
                [RESTRICTED],
            )
        )

    def changes(self, ref: str) -> list[RestrictionChange]:
        """The case's restrictions and liftings, oldest first, their reasons opened."""
        rows = self.sql.query(
            f"SELECT change_id, at, by_name, action, sealed_reason FROM {self.table}"
            " WHERE case_ref = ? ORDER BY id",
            [ref],
        )
        if not rows:
            return []
        key = self.keys.get(case_id(ref))
        return [
            RestrictionChange(
                ref,
                str(at),
                str(by),
                str(action),
                str(sealing.unseal(key, str(change), sealed).get("reason", sealing.ERASED))
                if sealed is not None
                else sealing.ERASED,
            )
            for change, at, by, action, sealed in rows
        ]
