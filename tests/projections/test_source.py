"""The JSON Lines change source: positions, limits, and no personal data."""

from __future__ import annotations

import json
from pathlib import Path

from projections.source import JsonlChangeSource

OPENED = {
    "id": "e1",
    "type": "CaseOpened",
    "case": "S-1",
    "on": "2023-01-10",
    "household": {"adults": 1, "children": 0},
    "group": "other",
    "situation": "rough",
    "person": {"name": "Kari Nordmann", "national_id": "01010112345"},
    "note": "ringte fra legevakten",
}
STAY = {
    "id": "e2",
    "type": "TemporaryStayStarted",
    "case": "S-1",
    "on": "2023-01-11",
    "stay": "t1",
    "kind": "hotel",
    "place": "Hotell Refsnes",
}
DWELLING = {
    "id": "e3",
    "type": "DwellingRegistered",
    "dwelling": "B-1",
    "on": "2020-01-01",
    "category": "referral",
    "district": "vang",
    "rooms": 1,
}


def _write(tmp_path: Path, name: str, lines: list[str]) -> Path:
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_changes_carry_no_personal_fields_and_name_their_stream_and_ref(tmp_path: Path) -> None:
    path = _write(tmp_path, "a.jsonl", [json.dumps(e) for e in (OPENED, STAY, DWELLING)])

    changes, last = JsonlChangeSource(path).read_changes(0, 10)

    assert [(c.position, c.stream, c.ref) for c in changes] == [
        (1, "case", "S-1"),
        (2, "case", "S-1"),
        (3, "dwelling", "B-1"),
    ]
    assert last == 3
    for change in changes:
        assert not {"person", "note", "place"} & set(change.event)
    assert changes[0].event["household"] == {"adults": 1, "children": 0}


def test_positions_are_line_numbers_across_files_with_blank_lines_left_as_gaps(
    tmp_path: Path,
) -> None:
    first = _write(tmp_path, "a.jsonl", [json.dumps(OPENED), "", json.dumps(STAY)])
    second = _write(tmp_path, "b.jsonl", [json.dumps(DWELLING)])
    source = JsonlChangeSource([first, second])

    changes, last = source.read_changes(0, 10)

    assert [c.position for c in changes] == [1, 3, 4]
    assert source.max_position() == last == 4


def test_reading_scans_at_most_the_limit_and_reports_the_last_position_read(tmp_path: Path) -> None:
    path = _write(tmp_path, "a.jsonl", [json.dumps(e) for e in (OPENED, STAY, DWELLING)])
    source = JsonlChangeSource(path)

    changes, last = source.read_changes(1, 1)
    assert ([c.position for c in changes], last) == ([2], 2)
    assert source.read_changes(3, 5) == ([], 3)
