"""Free text that can name people — a closing or retraction `reason`, a decision's
`legal_basis` — is sealed with the case key like `note`: it is in no read model, in no event
payload as the payload key opens it, and after erasure nowhere readable (the store's files or
a pg_dump, the export, the history)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from domain.application import Boligspor
from domain.sealing import ERASED
from projections.db import ReadStore
from projections.runner import catch_up
from tests.domain.test_privacy_at_rest import stored_bytes

CLOSING = "Flyttet inn hos Tormod Skjeggerud"
RETRACTION = "Feil person: gjaldt Gunnhild Vatnedal"
LEGAL_BASIS = "Vedtak etter klage fra Halvard Rønnevik"
TEXTS = (CLOSING, RETRACTION, LEGAL_BASIS)


def events(ref: str) -> list[dict[str, Any]]:
    def event(suffix: str, type_: str, on: str, **fields: Any) -> dict[str, Any]:
        return {"id": f"{ref}-{suffix}", "type": type_, "case": ref, "on": on, **fields}

    return [
        event(
            "o",
            "CaseOpened",
            "2023-01-10",
            household={"adults": 1, "children": 0},
            group="other",
            situation="rough",
            person={"name": "Anonym"},
        ),
        event("a", "ApplicationReceived", "2023-01-11"),
        event(
            "d", "ApplicationDecided", "2023-01-20", decision="rejected", legal_basis=LEGAL_BASIS
        ),
        event("f", "FollowUpLogged", "2023-02-01", team="caretaker", kind="phone", minutes=5),
        event("r", "EventRetracted", "2023-02-02", target=f"{ref}-f", reason=RETRACTION),
        event("c", "CaseClosed", "2023-03-01", reason=CLOSING),
    ]


def payload_texts(app: Boligspor) -> bytes:
    """Every stored event's payload as the payload key opens it (case keys not used)."""
    recorder: Any = app.recorder
    table = app.sql.table(recorder.events_table_name)
    cipher = app.mapper.cipher
    assert cipher is not None
    rows = app.sql.query(f"SELECT state FROM {table}")
    return b"".join(cipher.decrypt(bytes(state)) for (state,) in rows)


def found(blob: bytes) -> list[str]:
    return [text for text in TEXTS if text.encode() in blob or text.split()[-1].encode() in blob]


def test_reasons_and_legal_bases_are_sealed_and_unreadable_after_erasure(
    new_app: Callable[[], Boligspor], tmp_path: Path
) -> None:
    app = new_app()
    app.submit(list(enumerate([*events("F-1"), *events("F-2")], 1)))
    store = ReadStore.open(app.settings.database_url)
    catch_up(app, store)
    store.close()

    exported = {e["id"]: e for e in app.export()}
    assert (exported["F-1-c"]["reason"], exported["F-1-r"]["reason"]) == (CLOSING, RETRACTION)
    assert exported["F-1-d"]["legal_basis"] == LEGAL_BASIS
    retracted = next(i for i in app.case_history("F-1") if i.record.id == "F-1-f")
    assert retracted.retraction_reason == RETRACTION
    assert found(payload_texts(app)) == []
    assert found(stored_bytes(app, tmp_path)) == []  # read models are in the same store

    app.erase_case("F-1", reason="oppbevaringstiden er ute", by="admin")

    assert found(stored_bytes(app, tmp_path)) == []
    assert found(payload_texts(app)) == []
    exported = {e["id"]: e for e in app.export()}
    assert exported["F-1-c"]["reason"] == exported["F-1-r"]["reason"] == ERASED
    assert exported["F-1-d"]["legal_basis"] == ERASED
    assert exported["F-2-c"]["reason"] == CLOSING
    history = {item.record.id: item for item in app.case_history("F-1")}
    assert history["F-1-f"].retraction_reason == ERASED
    assert history["F-1-c"].erased and history["F-1-c"].record.to_json()["reason"] == ERASED
    again = {item.record.id: item for item in app.case_history("F-2")}
    assert again["F-2-f"].retraction_reason == RETRACTION
