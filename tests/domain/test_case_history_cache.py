"""Case history from the query cache and snapshots: the same timeline as the stored events,
never stale, erased everywhere at once, and nothing readable at rest."""

from __future__ import annotations

import json
import subprocess
import sys
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from domain import application, sealing
from domain.application import Boligspor, HistoryItem
from domain.case import Case, CaseSnapshot, case_id
from tests.conftest import TEST_KEY, TODAY_NOW, make_settings, sample_lines
from tests.domain.test_privacy_at_rest import case_events, hits, seeded_cases, stored_bytes
from tests.reliability.events import follow_up, opened

ROOT = Path(__file__).resolve().parents[2]


def expected_histories(lines: list[tuple[int, str]]) -> dict[str, list[dict[str, Any]]]:
    """Each case's events as the sample gives them, in recording order."""
    cases: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for _, text in lines:
        event = json.loads(text)
        event.setdefault("by", "import")
        if "case" in event:
            cases[event["case"]].append(event)
    return cases


def check_history(items: list[HistoryItem], expected: list[dict[str, Any]]) -> None:
    assert [i.record.to_json() for i in items] == expected
    retractions = {e["target"]: e for e in expected if e["type"] == "EventRetracted"}
    for item in items:
        retraction = retractions.get(item.record.id)
        assert item.retracted_by == (retraction["id"] if retraction else None)
        assert item.retraction_reason == (retraction.get("reason") if retraction else None)
        assert not item.erased


def snapshot_of(app: Boligspor, ref: str) -> CaseSnapshot | None:
    found = list(app.case_snapshots.get(case_id(ref), desc=True, limit=1))
    if not found:
        return None
    assert isinstance(found[0], CaseSnapshot)
    return found[0]


def test_history_of_every_sample_case_is_the_same_from_events_cache_and_snapshots(
    new_app: Callable[[], Boligspor], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(application, "SNAPSHOT_EVERY", 5)
    lines = sample_lines("edge-2017-2025.jsonl")
    expected = expected_histories(lines)
    assert sum(1 for events in expected.values() for e in events if e["type"] == "EventRetracted")
    app = new_app()
    half = len(lines) // 2
    app.submit(lines[:half])
    for ref in expected_histories(lines[:half]):
        app.case_history(ref)  # cached, and snapshots of cases with 5 events or more
    app.submit(lines[half:])

    other = Boligspor(make_settings(app.settings.database_url), clock=lambda: TODAY_NOW)
    from_snapshots = 0
    for ref, events in expected.items():
        snapshot = snapshot_of(app, ref)
        from_snapshots += snapshot is not None and snapshot.originator_version < len(events)
        check_history(other.case_history(ref), events)  # snapshot, then the events after it
        check_history(app.case_history(ref), events)  # cached, fast-forwarded
        replayed: Case = app.repository.get(case_id(ref))  # every event, no cache
        assert app.get_case(ref).history == replayed.history
        assert app.get_case(ref).retracted == replayed.retracted
        assert other.get_case(ref).version == replayed.version
    assert from_snapshots >= 25


def test_a_write_from_another_process_is_visible_at_once(
    new_app: Callable[[], Boligspor],
) -> None:
    app = new_app()
    lines = sample_lines("edge-2017-2025.jsonl")
    ref = "S-00001"
    mine = [(n, t) for n, t in lines if json.loads(t).get("case") == ref]
    app.submit(mine[:1])
    before = app.case_history(ref)
    assert len(before) == 1
    script = (
        "import json, sys\n"
        "from domain.application import Boligspor\n"
        "from settings import Settings\n"
        f"key = {TEST_KEY!r}\n"
        "app = Boligspor(Settings(database_url=sys.argv[1], payload_key=key, master_key=key))\n"
        "app.submit(json.loads(sys.stdin.read()))\n"
    )
    subprocess.run(
        [sys.executable, "-c", script, app.settings.database_url],
        input=json.dumps(mine[1:3]),
        text=True,
        check=True,
        cwd=ROOT,
        timeout=120,
    )
    after = app.case_history(ref)
    assert [i.record.id for i in after] == [json.loads(t)["id"] for _, t in mine[:3]]
    assert [i.record.id for i in before] == [json.loads(mine[0][1])["id"]]  # not changed


def test_after_erasure_neither_cache_nor_snapshot_gives_personal_data(
    new_app: Callable[[], Boligspor], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(application, "SNAPSHOT_EVERY", 1)
    cases = seeded_cases(40)
    app = new_app()
    app.submit(case_events(cases))
    ref, name, national_id = cases[7]
    shown = json.dumps([i.record.to_json() for i in app.case_history(ref)], ensure_ascii=False)
    assert name in shown and national_id in shown
    for other_ref, _, _ in cases:
        app.case_history(other_ref)  # every case cached, and snapshotted
    snapshot = snapshot_of(app, ref)
    assert snapshot is not None and snapshot.originator_version == 2
    # Decrypted with the payload key, a snapshot holds personal fields only sealed.
    assert hits(repr(snapshot.state).encode(), cases) == []
    assert hits(stored_bytes(app, tmp_path), cases) == []

    app.erase_case(ref, reason="oppbevaringstiden er ute", by="admin")

    cold = Boligspor(make_settings(app.settings.database_url), clock=lambda: TODAY_NOW)
    for reader in (app, cold):  # the cached case, and the case restored from its snapshot
        items = reader.case_history(ref)
        assert [i.erased for i in items] == [True, True]
        text = json.dumps([i.record.to_json() for i in items], ensure_ascii=False)
        assert hits(text.encode(), cases) == []
        assert items[0].record.personal["person"] == {"name": sealing.ERASED}
        assert items[1].record.personal["place"] == sealing.ERASED
        assert reader.case_person(ref) == {"name": sealing.ERASED}
    assert cold.case_snapshots is not None and snapshot_of(cold, ref) is not None
    sealed = [row[7] for row in snapshot.state["entries"] if row[7] is not None]
    assert len(sealed) == 2 and app.keys.get(case_id(ref)) is None
    assert cold.case_person(cases[8][0])["name"] == cases[8][1]
    assert hits(stored_bytes(app, tmp_path), cases) == []


def test_the_cache_holds_at_most_its_bound_of_entries(
    new_app: Callable[[], Boligspor], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(application, "CASE_CACHE_ENTRIES", 30)
    lines = sample_lines("edge-2017-2025.jsonl")[:600]
    expected = expected_histories(lines)
    app = new_app()
    app.submit(lines)
    for _ in range(2):
        for ref, events in expected.items():
            check_history(app.case_history(ref), events)
            cases, entries = app.cases.size()
            assert entries <= 30 and cases >= (1 if len(events) <= 30 else 0)


def test_a_retraction_after_a_read_strikes_through_its_target_in_the_next_read(
    new_app: Callable[[], Boligspor],
) -> None:
    app = new_app()
    app.submit([(1, opened("S-1", "o1")), (2, follow_up("S-1", "f1")), (3, follow_up("S-1", "f2"))])
    first = app.get_case("S-1")
    assert [(i.record.id, i.retracted_by) for i in app.case_history("S-1")] == [
        ("o1", None),
        ("f1", None),
        ("f2", None),
    ]
    retraction = {
        "id": "r1",
        "type": "EventRetracted",
        "case": "S-1",
        "on": "2023-03-02",
        "target": "f1",
        "reason": "feil sak",
    }
    app.submit([(1, retraction), (2, follow_up("S-1", "f3"))])
    items = app.case_history("S-1")
    assert [(i.record.id, i.retracted_by, i.retraction_reason) for i in items] == [
        ("o1", None, None),
        ("f1", "r1", "feil sak"),
        ("f2", None, None),
        ("r1", None, None),
        ("f3", None, None),
    ]
    assert items[0].record.personal == {"person": {"name": "Test Person S-1"}}
    assert first.version == 3 and len(first.history) == 3 and not first.retracted  # unchanged
    assert app.get_case("S-1").version == 5
