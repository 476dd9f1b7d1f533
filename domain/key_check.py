"""A check value kept in the store, so that a process started with other keys refuses to
start instead of writing events (or case keys) that the store's own keys cannot open.

The first process that opens a store writes one check per key: the payload key's encryption
of a known text (with the library's cipher, as events are encrypted) and the master key's
wrapping of it (as case keys are wrapped). A store that already holds events but no check
(written before checks existed) is checked against its first event and its first case key
before its check is written, so an upgrade never records the wrong keys as the right ones.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from cryptography.exceptions import InvalidTag

from domain import sealing
from domain.errors import WrongKeys
from domain.storage import Sql

CHECKED = b"boligspor key check v1"
MASTER_STREAM = "key-check"

PAYLOAD_WRONG = (
    "BOLIGSPOR_PAYLOAD_KEY does not open this store: it was written with another payload key;"
    " start with the store's keys (nothing was written)"
)
MASTER_WRONG = (
    "BOLIGSPOR_MASTER_KEY does not open this store: it was written with another master key;"
    " start with the store's keys (nothing was written)"
)


class KeyCheck:
    """Checks (and on a store's first use writes) the check values of a process's keys."""

    def __init__(
        self,
        sql: Sql,
        events_table: str,
        encrypt: Callable[[bytes], bytes],
        decrypt: Callable[[bytes], bytes],
        master: bytes,
    ) -> None:
        self.sql = sql
        self.events_table = events_table
        self.encrypt = encrypt
        self.decrypt = decrypt
        self.master = master

    def ensure(self, now: datetime) -> None:
        """Raise WrongKeys unless the keys open the store; write the checks where missing."""
        stored = self._stored()
        if "payload" not in stored or "master" not in stored:
            if not stored:
                self._check_existing_data()
            self._write(now)
            stored = self._stored()
        if not self._opens_payload(stored["payload"]):
            raise WrongKeys(PAYLOAD_WRONG)
        if not self._opens_master(stored["master"]):
            raise WrongKeys(MASTER_WRONG)

    def _stored(self) -> dict[str, bytes]:
        rows = self.sql.query(f"SELECT name, value FROM {self.sql.table('key_check')}")
        return {str(name): bytes(value) for name, value in rows}

    def _write(self, now: datetime) -> None:
        # Two processes opening a new store at once: the first check written wins, and the
        # other process then checks its keys against it like any later process.
        conflict = "ON CONFLICT (name) DO NOTHING"
        for name, value in (
            ("payload", self.encrypt(CHECKED)),
            ("master", master_check(self.master)),
        ):
            self.sql.execute(
                f"INSERT INTO {self.sql.table('key_check')} (name, value, written_at)"
                f" VALUES (?, ?, ?) {conflict}",
                [name, value, now.isoformat()],
            )

    def _check_existing_data(self) -> None:
        events = self.sql.query(f"SELECT state FROM {self.sql.table(self.events_table)} LIMIT 1")
        if events and not self._opens(self.decrypt, bytes(events[0][0])):
            raise WrongKeys(PAYLOAD_WRONG)
        keys = self.sql.query(
            f"SELECT stream, wrapped FROM {self.sql.table('stream_keys')}"
            " WHERE wrapped IS NOT NULL LIMIT 1"
        )
        if keys:
            stream, wrapped = str(keys[0][0]), bytes(keys[0][1])
            if not self._opens(lambda data: sealing.unwrap(self.master, stream, data), wrapped):
                raise WrongKeys(MASTER_WRONG)

    def _opens_payload(self, value: bytes) -> bool:
        return self._opens(self.decrypt, value, CHECKED)

    def _opens_master(self, value: bytes) -> bool:
        return self._opens(
            lambda data: sealing.unwrap(self.master, MASTER_STREAM, data), value, CHECKED
        )

    @staticmethod
    def _opens(
        open_: Callable[[bytes], bytes], value: bytes, expected: bytes | None = None
    ) -> bool:
        try:
            plain = open_(value)
        except (ValueError, InvalidTag):  # the library's cipher raises ValueError
            return False
        return expected is None or plain == expected


def master_check(master: bytes) -> bytes:
    """The check value of a master key, as `KeyCheck` writes it."""
    return sealing.wrap(master, MASTER_STREAM, CHECKED)
