"""Keys per case (and per dwelling with notes), wrapped by the master key; erasure destroys them."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from domain import sealing
from domain.search_index import KEY_STREAM as SEARCH_KEY_STREAM
from domain.storage import Sql


class KeyStore:
    """Reads, creates and destroys the keys that seal personal fields."""

    def __init__(self, sql: Sql, master: bytes) -> None:
        self.sql = sql
        self.master = master

    def wrap_new(self, stream: str) -> tuple[bytes, bytes]:
        """A fresh key and its wrapped form (stored with the first event that needs it)."""
        key = sealing.new_key()
        return key, sealing.wrap(self.master, stream, key)

    def get(self, stream: str) -> bytes | None:
        """The key of a stream; None when it has none or it was erased."""
        rows = self.sql.query(
            f"SELECT wrapped FROM {self.sql.table('stream_keys')} WHERE stream = ?", [stream]
        )
        if not rows or rows[0][0] is None:
            return None
        return sealing.unwrap(self.master, stream, bytes(rows[0][0]))

    def lookup(
        self,
        streams: Sequence[str],
        query: Callable[[str, Sequence[Any]], list[tuple[Any, ...]]] | None = None,
    ) -> dict[str, bytes | None]:
        """The keys of those streams that have a key row, in one query per 500 streams: the
        key, or None where it was erased. Streams without a row are left out. `query` runs
        the statements (default: the store's own connection; a group commit passes the one
        its reads share)."""
        run = query or self.sql.query
        found: dict[str, bytes | None] = {}
        table = self.sql.table("stream_keys")
        for start in range(0, len(streams), 500):
            chunk = list(streams[start : start + 500])
            marks = ", ".join("?" for _ in chunk)
            for stream, wrapped, erased_at in run(
                f"SELECT stream, wrapped, erased_at FROM {table} WHERE stream IN ({marks})", chunk
            ):
                if erased_at is not None or wrapped is None:
                    found[stream] = None
                else:
                    found[stream] = sealing.unwrap(self.master, stream, bytes(wrapped))
        return found

    def exists(self, stream: str) -> bool:
        rows = self.sql.query(
            f"SELECT 1 FROM {self.sql.table('stream_keys')} WHERE stream = ?", [stream]
        )
        return bool(rows)

    def all(self) -> dict[str, bytes | None]:
        """Every stream's key (None where erased), for bulk reads such as export."""
        rows = self.sql.query(f"SELECT stream, wrapped FROM {self.sql.table('stream_keys')}")
        return {
            stream: None if wrapped is None else sealing.unwrap(self.master, stream, bytes(wrapped))
            for stream, wrapped in rows
        }

    def erased(self, stream: str) -> tuple[str, str, str] | None:
        """(when, by, reason) if the stream's key was destroyed."""
        rows = self.sql.query(
            f"SELECT erased_at, erased_by, erased_reason FROM {self.sql.table('stream_keys')}"
            " WHERE stream = ? AND erased_at IS NOT NULL",
            [stream],
        )
        return (str(rows[0][0]), str(rows[0][1]), str(rows[0][2])) if rows else None

    def destroy(self, stream: str, *, by: str, reason: str, now: datetime) -> None:
        """Crypto-shred: overwrite the wrapped key and remove every trace the database keeps."""
        update = (
            f"UPDATE {self.sql.table('stream_keys')} SET wrapped = NULL, erased_at = ?,"
            " erased_by = ?, erased_reason = ? WHERE stream = ?"
        )
        params = [now.isoformat(), by, reason, stream]
        if self.sql.postgres:
            self.sql.execute(update, params)
            with self.sql.datastore.get_connection() as conn:
                conn.autocommit = True
                conn.execute(f"VACUUM FULL {self.sql.table('stream_keys')}")
        else:
            with self.sql.transaction() as cursor:
                cursor.execute("PRAGMA secure_delete = ON")
                cursor.execute(update, params)
            self._checkpoint_sqlite()

    def _checkpoint_sqlite(self) -> None:
        with self.sql.datastore.get_connection(commit=True) as conn:
            conn.cursor().execute("PRAGMA wal_checkpoint(TRUNCATE)")

    def rewrap_all(self, new_master: bytes, check: Callable[[bytes], bytes]) -> int:
        """Wrap every case key that is not erased with `new_master` instead, and store the
        master key's new check value (`check` wraps it), in one transaction; returns how
        many case (and dwelling) keys were rewrapped (the search index's key is rewrapped
        too, and not counted). Erased keys have nothing left to rewrap: once the old
        master key is destroyed, the copies of their wrapped form that the database's write-
        ahead log, archives or backups still hold can no longer be opened."""
        mark = "%s" if self.sql.postgres else "?"
        table = self.sql.table("stream_keys")
        with self.sql.transaction() as cursor:
            if self.sql.postgres:
                cursor.execute(f"LOCK TABLE {table} IN EXCLUSIVE MODE")
            else:
                cursor.execute("PRAGMA secure_delete = ON")
            cursor.execute(f"SELECT stream, wrapped FROM {table} WHERE wrapped IS NOT NULL")
            rows = [
                tuple(row.values()) if isinstance(row, dict) else tuple(row)
                for row in cursor.fetchall()
            ]
            for stream, wrapped in rows:
                key = sealing.unwrap(self.master, str(stream), bytes(wrapped))
                cursor.execute(
                    f"UPDATE {table} SET wrapped = {mark} WHERE stream = {mark}",
                    [sealing.wrap(new_master, str(stream), key), stream],
                )
            cursor.execute(
                f"UPDATE {self.sql.table('key_check')} SET value = {mark} WHERE name = 'master'",
                [check(new_master)],
            )
        self.master = new_master
        if not self.sql.postgres:
            self._checkpoint_sqlite()
        # The search index's key is rewrapped with them, but is no case's key.
        return sum(1 for stream, _ in rows if str(stream) != SEARCH_KEY_STREAM)
