"""The event log read model: every stream's non-personal events, kept per ref so that a batch
can replay the full history of each case or dwelling it touches."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence

from projections.db import Table, Transaction
from projections.history import Recorded
from projections.source import PERSONAL_KEYS, Change

NAME = "event_log"

EVENT_LOG = Table(
    "rm_event_log",
    (
        ("position", "BIGINT NOT NULL"),
        ("stream", "TEXT NOT NULL"),
        ("ref", "TEXT NOT NULL"),
        ("event_id", "TEXT NOT NULL"),
        ("type", "TEXT NOT NULL"),
        ("on_date", "TEXT NOT NULL"),
        ("body", "TEXT NOT NULL"),
    ),
    primary_key=("position",),
    indexes=(("stream", "ref", "position"),),
)
TABLES = (EVENT_LOG,)


def append(tx: Transaction, changes: Sequence[Change]) -> None:
    """Add the changes to the log (personal fields, should any arrive, are dropped)."""
    tx.executemany(
        EVENT_LOG.insert_statement(),
        [
            (
                c.position,
                c.stream,
                c.ref,
                str(c.event["id"]),
                str(c.event["type"]),
                str(c.event["on"]),
                json.dumps(
                    {k: v for k, v in c.event.items() if k not in PERSONAL_KEYS},
                    ensure_ascii=False,
                    sort_keys=True,
                ),
            )
            for c in changes
        ],
    )


def histories(tx: Transaction, stream: str, refs: Iterable[str]) -> dict[str, list[Recorded]]:
    """The full recorded history of each ref of the stream, in recording order."""
    wanted = sorted(set(refs))
    found: dict[str, list[Recorded]] = {ref: [] for ref in wanted}
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        marks = ", ".join("?" for _ in chunk)
        for ref, position, body in tx.query(
            f"SELECT ref, position, body FROM rm_event_log WHERE stream = ? AND ref IN ({marks})"
            " ORDER BY ref, position",
            [stream, *chunk],
        ):
            found[str(ref)].append(Recorded(int(position), json.loads(body)))
    return found


def dwelling_addresses(tx: Transaction, refs: Sequence[str]) -> dict[str, str]:
    """The address each dwelling asked for was registered with ("" if none; at most 400)."""
    marks = ", ".join("?" for _ in refs)
    return {
        str(ref): str(json.loads(body).get("address") or "")
        for ref, body in tx.query(
            "SELECT ref, body FROM rm_event_log WHERE stream = 'dwelling'"
            f" AND type = 'DwellingRegistered' AND ref IN ({marks})",
            list(refs),
        )
    }


def events_by_id(tx: Transaction, ids: Iterable[str]) -> dict[str, tuple[str, str, str]]:
    """(type, on, id) of each stored event asked for."""
    wanted = sorted(set(ids))
    found: dict[str, tuple[str, str, str]] = {}
    for start in range(0, len(wanted), 400):
        chunk = wanted[start : start + 400]
        marks = ", ".join("?" for _ in chunk)
        for event_id, kind, on in tx.query(
            f"SELECT event_id, type, on_date FROM rm_event_log WHERE event_id IN ({marks})", chunk
        ):
            found[str(event_id)] = (str(kind), str(on), str(event_id))
    return found
