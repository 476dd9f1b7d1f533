"""Statements that change the API's own tables, on the event store's connection.

`domain.storage.Sql.execute` reads `cursor.rowcount`, which the library's SQLite cursor
wrapper lacks; the API writes through `Sql.transaction()` instead and needs no row count.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from domain.storage import Sql


def write(sql: Sql, statement: str, params: Sequence[Any] = ()) -> None:
    """Run one statement with `?` placeholders in its own committed transaction."""
    with sql.transaction() as cursor:
        cursor.execute(statement.replace("?", "%s") if sql.postgres else statement, list(params))
