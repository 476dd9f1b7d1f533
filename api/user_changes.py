"""What was changed about users, by whom and when: read from the append-only `user_changes`.

`UserStore` writes a row in the same transaction as each change; nothing rewrites them.
"""

from __future__ import annotations

from dataclasses import dataclass

from domain.storage import Sql

CHANGES = ("added", "changed", "deactivated", "reactivated", "token_rotated")


@dataclass(frozen=True)
class UserChange:
    """One change of one user: `change` is one of CHANGES, `detail` says from what to what."""

    at: str
    by: str
    via: str
    user: str
    change: str
    detail: str | None


class UserChanges:
    """The changes of users, newest first."""

    def __init__(self, sql: Sql) -> None:
        self.sql = sql
        self.table = sql.table("user_changes")

    def entries(self, user: str | None = None, limit: int = 1000) -> list[UserChange]:
        """The newest changes, of one user or of all."""
        where, params = ("WHERE user_name = ?", [user]) if user is not None else ("", [])
        rows = self.sql.query(
            f"SELECT at, by_name, via, user_name, change, detail FROM {self.table} {where}"
            " ORDER BY id DESC LIMIT ?",
            [*params, limit],
        )
        return [
            UserChange(str(a), str(b), str(v), str(u), str(c), None if d is None else str(d))
            for a, b, v, u, c, d in rows
        ]
