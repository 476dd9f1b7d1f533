"""The keyed search index on both backends: names found in any spelling of ø å æ and by any
word start, national ids with spaces, phone numbers; tokens only, never the text; erasure
leaves no token of the case in the database, a pg_dump or the SQLite file."""

from __future__ import annotations

import random
import subprocess
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from domain.application import Boligspor
from domain.demo import national_id
from domain.search_index import fold, parts, spellings
from settings import parse_database_url

KARI_ID = national_id(random.Random(13), date(1984, 5, 17))
KARI_PHONE = "+47 912 34 567"


def opened(ref: str, name: str, event_id: str, **person: str) -> dict[str, Any]:
    return {
        "id": event_id,
        "type": "CaseOpened",
        "case": ref,
        "on": "2025-01-10",
        "household": {"adults": 1, "children": 0},
        "group": "mental_health_substance",
        "situation": "friends_family",
        "person": {"name": name, **person},
    }


def with_people(app: Boligspor) -> Boligspor:
    app.submit(
        [
            (1, opened("S-OST", "Kari Østby-Hansen", "e1", national_id=KARI_ID, phone=KARI_PHONE)),
            (2, opened("S-ASE", "Åse Ærø", "e2")),
            (3, opened("S-AAS", "Aase Oen", "e3")),
            (4, opened("S-OLA", "Ola Nordmann", "e4", phone="40000000")),
            (
                5,
                {
                    "id": "e5",
                    "type": "DwellingRegistered",
                    "dwelling": "B-STOR-12",
                    "on": "2024-01-01",
                    "category": "small_house",
                    "district": "vang",
                    "rooms": 3,
                    "address": "Storgata 12B",
                },
            ),
        ]
    )
    return app


def found(app: Boligspor, text: str) -> set[str]:
    return app.search_index.find(text).cases


def test_folding_gives_every_spelling_of_a_norwegian_word() -> None:
    assert fold("ØSTBY") == "ostby"
    assert fold("Bærum") == "baerum"
    assert spellings("Østby") == {"ostby", "oestby"}
    assert spellings("Åse") == {"ase", "aase"}
    assert spellings("Aase") == {"aase", "ase"}
    assert {"ka", "kar", "kari", "ha", "hansen", "os", "ostb"} <= parts("Kari Østby-Hansen")
    assert "stby" not in parts("Kari Østby-Hansen")


def test_a_name_is_found_by_any_part_in_any_spelling(new_app: Callable[[], Boligspor]) -> None:
    app = with_people(new_app())
    try:
        for text in ("ostby", "Østby", "OESTBY", "øst", "kari", "KA", "hansen", "kari ostby"):
            assert found(app, text) == {"S-OST"}, text
        assert found(app, "kari nordmann") == set()
        assert found(app, "stby") == set()
        for text in ("aase", "åse", "ase"):
            assert found(app, text) == {"S-ASE", "S-AAS"}, text
        assert found(app, "aero") == found(app, "ærø") == {"S-ASE"}
        assert found(app, "øen") == {"S-AAS"}
    finally:
        app.close()


def test_ids_phones_refs_and_addresses(new_app: Callable[[], Boligspor]) -> None:
    app = with_people(new_app())
    try:
        spaced = f"{KARI_ID[:6]} {KARI_ID[6:]}"
        assert found(app, KARI_ID) == found(app, spaced) == {"S-OST"}
        assert found(app, KARI_ID[:10]) == set()  # exact, not a part
        assert found(app, "91234567") == found(app, "+4791234567") == {"S-OST"}
        assert found(app, "s-ola") == {"S-OLA"}
        assert app.search_index.find("storgata 12b").dwellings == {"B-STOR-12"}
        assert app.search_index.find("b-stor-12").dwellings == {"B-STOR-12"}
        assert app.search_index.find("storg").dwellings == {"B-STOR-12"}
    finally:
        app.close()


def test_the_index_holds_tokens_not_text(new_app: Callable[[], Boligspor]) -> None:
    app = with_people(new_app())
    try:
        table = app.sql.table("search_index")
        rows = app.sql.query(f"SELECT token, stream FROM {table}")
        assert rows and all(len(bytes(token)) == 16 for token, _ in rows)
        blob = b"".join(bytes(token) for token, _ in rows)
        for text in ("ostby", "Østby", "kari", KARI_ID, "91234567"):
            assert text.encode() not in blob
        assert {stream for _, stream in rows} >= {"case:S-OST", "dwelling:B-STOR-12"}
    finally:
        app.close()


def test_the_index_survives_a_master_key_rotation(new_app: Callable[[], Boligspor]) -> None:
    from domain.key_check import master_check

    app = with_people(new_app())
    try:
        app.keys.rewrap_all(b"n" * 32, master_check)
        app.search_index.master = b"n" * 32
        app.search_index.ensure_key(app.clock())
        assert found(app, "ostby") == {"S-OST"}
    finally:
        app.close()


def _database_bytes(app: Boligspor) -> bytes:
    """Every byte the store keeps: the SQLite files, or a pg_dump of the schema."""
    target = parse_database_url(app.settings.database_url)
    if target.sqlite_path is not None:
        path = Path(target.sqlite_path)
        files = [path, *(path.with_name(path.name + s) for s in ("-wal", "-journal"))]
        return b"".join(f.read_bytes() for f in files if f.exists())
    dump = subprocess.run(
        [
            "pg_dump",
            "-h",
            target.host,
            "-p",
            str(target.port),
            "-U",
            target.user,
            "-n",
            str(app.sql.schema),
            target.dbname,
        ],
        capture_output=True,
        check=True,
        timeout=120,
    ).stdout
    return dump


def test_erasure_deletes_the_cases_index_entries_everywhere(
    new_app: Callable[[], Boligspor],
) -> None:
    app = with_people(new_app())
    try:
        token = app.search_index.token("number", KARI_ID)
        name_token = app.search_index.token("name", "ostby")

        def held(data: bytes, value: bytes) -> bool:
            return value in data or value.hex().encode() in data

        before = _database_bytes(app)
        assert held(before, token) and held(before, name_token)
        assert app.search_index.entries_of("case:S-OST") > 0

        app.erase_case("S-OST", reason="Slettet etter krav", by="admin")

        assert found(app, "ostby") == set()
        assert found(app, KARI_ID) == set()
        assert found(app, KARI_ID[:6] + " " + KARI_ID[6:]) == set()
        assert app.search_index.entries_of("case:S-OST") == 0
        table = app.sql.table("search_index")
        assert not app.sql.query(f"SELECT 1 FROM {table} WHERE token = ?", [token])
        after = _database_bytes(app)
        assert not held(after, token)
        assert not held(after, name_token)
        assert found(app, "ola") == {"S-OLA"}  # the others stay
    finally:
        app.close()


def test_a_rebuild_writes_the_same_index_and_nothing_of_an_erased_case(
    new_app: Callable[[], Boligspor],
) -> None:
    app = with_people(new_app())
    try:
        table = app.sql.table("search_index")
        written = set(app.sql.query(f"SELECT token, stream FROM {table}"))
        app.erase_case("S-OLA", reason="Slettet etter krav", by="admin")
        app.sql.execute(f"DELETE FROM {table}")
        assert found(app, "ostby") == set()
        rows = app.rebuild_search_index()
        rebuilt = set(app.sql.query(f"SELECT token, stream FROM {table}"))
        assert rows == len(rebuilt)
        assert rebuilt == {(bytes(t), s) for t, s in written if s != "case:S-OLA"}
        assert found(app, "ostby") == {"S-OST"} and found(app, "ola") == set()
    finally:
        app.close()
