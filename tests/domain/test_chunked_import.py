"""An import streamed in chunks is still one command: all lines stored or none, the refused
line named, the same events stored as one submission stores, and re-importing is a no-op."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest

from domain import file_import
from domain.application import Boligspor, Refused
from tests.conftest import sample_lines
from tests.domain.test_import_and_export import GIST, INVALID, REFUSED_LINE


def numbered(lines: list[tuple[int, str]]) -> list[tuple[int, str]]:
    return [(n, text) for n, (_, text) in enumerate(lines, 1)]


def test_every_invalid_file_is_refused_at_its_line_in_chunks_of_two_and_stores_nothing(
    new_app: Callable[[], Boligspor],
) -> None:
    for path in INVALID:
        app = new_app()
        with pytest.raises(Refused) as refused:
            app.import_lines(sample_lines(f"invalid/{path.name}"), chunk_lines=2)
        [refusal] = refused.value.refusals
        assert refusal.line == REFUSED_LINE[path.name], path.name
        assert GIST[path.name] in refusal.message, (path.name, refusal.message)
        assert app.max_position() == 0, path.name


@pytest.mark.parametrize(
    ("bad", "gist"),
    [
        ({"case": "S-NOPE", "type": "FollowUpLogged"}, "case S-NOPE does not exist"),
        ({"minutes": 12.5}, "minutes must be an integer"),
    ],
)
def test_a_refused_line_late_in_a_many_chunk_file_stores_nothing_and_is_named(
    new_app: Callable[[], Boligspor], bad: dict[str, object], gist: str
) -> None:
    lines = numbered(sample_lines("moss-2023.jsonl"))
    follow_ups = [t for _, t in lines if json.loads(t)["type"] == "FollowUpLogged"]
    event = {**json.loads(follow_ups[-1]), "id": "late-and-wrong", **bad}
    late = len(lines) - 5
    texts = [text for _, text in lines]
    texts.insert(late - 1, json.dumps(event))
    broken = list(enumerate(texts, 1))
    app = new_app()
    with pytest.raises(Refused) as refused:
        app.import_lines(broken, chunk_lines=500)  # 22 chunks: the refusal is in the last
    [refusal] = refused.value.refusals
    assert refusal.line == late
    assert refusal.event_id == "late-and-wrong"
    assert gist in refusal.message
    assert str(refusal).startswith(f"line {late} (late-and-wrong): ")
    assert app.max_position() == 0
    assert app.lookup_ids([json.loads(t)["id"] for _, t in lines[:100]]) == {}
    assert list(app.export()) == []
    done = app.import_lines(lines, chunk_lines=500)  # nothing of the refused import is left
    assert done.stored == len(lines)


@pytest.mark.parametrize("sample", ["moss-2023.jsonl", "edge-2017-2025.jsonl"])
def test_a_many_chunk_import_stores_what_one_submission_stores(
    new_app: Callable[[], Boligspor], sample: str
) -> None:
    lines = sample_lines(sample)
    whole = new_app()
    assert len(whole.submit(lines).stored) == len(lines)
    expected = list(whole.export())
    chunked = new_app()
    result = chunked.import_lines(lines, chunk_lines=300)
    assert (result.stored, result.duplicates) == (len(lines), 0)
    assert list(chunked.export()) == expected
    position = chunked.max_position()
    again = chunked.import_lines(lines, chunk_lines=300)
    assert (again.stored, again.duplicates) == (0, len(lines))
    assert chunked.max_position() == position


def test_aggregates_evicted_between_chunks_are_read_back_from_the_open_transaction(
    new_app: Callable[[], Boligspor],
) -> None:
    lines = sample_lines("moss-2023.jsonl")
    whole = new_app()
    whole.submit(lines)
    app = new_app()
    result = file_import.import_lines(
        app, lines, default_by="import", now=app.clock(), chunk_lines=200, cache_events=20
    )
    assert result.stored == len(lines)
    assert list(app.export()) == list(whole.export())


def test_a_refused_import_leaves_nothing_in_the_library_aggregate_cache(
    new_app: Callable[[], Boligspor], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AGGREGATE_CACHE_MAXSIZE", "1000")  # fast-forwarding cache, as in 9.5.6
    lines = numbered(sample_lines("moss-2023.jsonl"))
    half = len(lines) // 2
    app = new_app()
    assert app.repository.cache is not None
    app.import_lines(lines[:half], chunk_lines=500)
    later = [json.loads(t) for _, t in lines[half:]]
    ref = next(e["case"] for e in later if e["type"] == "FollowUpLogged")
    before = len(app.get_case(ref).history)  # now in the library's cache
    rest = [*lines[half:], (len(lines) + 1, "not json")]
    with pytest.raises(Refused):  # a tiny cache: the case is read back between chunks
        file_import.import_lines(
            app, rest, default_by="import", now=app.clock(), chunk_lines=500, cache_events=20
        )
    assert len(app.get_case(ref).history) == before
    app.import_lines(lines[half:], chunk_lines=500)
    assert len(app.get_case(ref).history) > before
