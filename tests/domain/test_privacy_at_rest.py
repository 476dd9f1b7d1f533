"""Personal data is unreadable at rest, before and after erasure: files, WAL and pg_dump."""

from __future__ import annotations

import logging
import random
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from domain.application import Boligspor
from domain.national_id import K1_WEIGHTS, K2_WEIGHTS, national_id_problem
from domain.sealing import ERASED
from settings import parse_database_url

FIRST = ["Kari", "Ola", "Ingrid", "Lars", "Sigrid", "Nils", "Astrid", "Jonas", "Marit", "Eirik"]
LAST = ["Bakkevold", "Fjellstad", "Grønlien", "Holtermann", "Kvisleberg", "Lysgaard"]


def valid_national_ids(count: int, rng: random.Random) -> list[str]:
    ids: list[str] = []
    while len(ids) < count:
        day, month, year = rng.randint(1, 28), rng.randint(1, 12), rng.randint(40, 99)
        base = [int(c) for c in f"{day:02d}{month:02d}{year:02d}{rng.randint(0, 499):03d}"]
        k1 = (11 - sum(d * w for d, w in zip(base, K1_WEIGHTS, strict=True)) % 11) % 11
        k2 = (11 - sum(d * w for d, w in zip([*base, k1], K2_WEIGHTS, strict=True)) % 11) % 11
        candidate = "".join(map(str, base)) + f"{k1}{k2}"
        if k1 < 10 and k2 < 10 and national_id_problem(candidate) is None:
            ids.append(candidate)
    return ids


def seeded_cases(count: int) -> list[tuple[str, str, str]]:
    rng = random.Random(44)
    ids = valid_national_ids(count, rng)
    return [
        (f"P-{n}", f"{rng.choice(FIRST)}{n}x {rng.choice(LAST)}q{n}", ids[n]) for n in range(count)
    ]


def case_events(cases: list[tuple[str, str, str]]) -> list[tuple[int, dict[str, object]]]:
    events: list[tuple[int, dict[str, object]]] = []
    for ref, name, national_id in cases:
        events.append(
            (
                len(events) + 1,
                {
                    "id": f"{ref}-o",
                    "type": "CaseOpened",
                    "case": ref,
                    "on": "2023-01-10",
                    "household": {"adults": 1, "children": 1},
                    "group": "families",
                    "situation": "rough",
                    "person": {"name": name, "national_id": national_id, "phone": "+47 912 34 567"},
                    "note": f"Notat om {name}",
                },
            )
        )
        events.append(
            (
                len(events) + 1,
                {
                    "id": f"{ref}-t",
                    "type": "TemporaryStayStarted",
                    "case": ref,
                    "on": "2023-02-01",
                    "stay": "t1",
                    "kind": "hotel",
                    "place": f"Hotell ved {name}",
                },
            )
        )
    return events


def stored_bytes(app: Boligspor, tmp_path: Path) -> bytes:
    target = parse_database_url(app.settings.database_url)
    if target.kind == "sqlite":
        assert target.sqlite_path is not None
        files = [Path(f"{target.sqlite_path}{suffix}") for suffix in ("", "-wal", "-shm")]
        return b"".join(f.read_bytes() for f in files if f.exists())
    dump = tmp_path / "dump.sql"
    subprocess.run(
        [
            "pg_dump",
            "-h",
            target.host,
            "-p",
            str(target.port),
            "-U",
            target.user,
            "-n",
            target.schema or "public",
            "-f",
            str(dump),
            target.dbname,
        ],
        check=True,
    )
    return dump.read_bytes()


def hits(blob: bytes, cases: list[tuple[str, str, str]]) -> list[str]:
    found = []
    for _, name, national_id in cases:
        for secret in (name, national_id, name.split()[1]):
            if secret.encode() in blob:
                found.append(secret)
    return found


def test_names_and_national_ids_are_nowhere_in_the_store_before_and_after_erasure(
    new_app: Callable[[], Boligspor], tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    cases = seeded_cases(300)
    app = new_app()
    app.submit(case_events(cases))
    assert app.case_person("P-7")["name"] == cases[7][1]
    assert hits(stored_bytes(app, tmp_path), cases) == []

    for ref, _, _ in cases[:50]:
        app.erase_case(ref, reason="oppbevaringstiden er ute", by="admin")

    assert hits(stored_bytes(app, tmp_path), cases) == []
    assert app.case_person("P-7") == {"name": ERASED}
    assert app.case_person("P-70")["name"] == cases[70][1]
    exported = {e["id"]: e for e in app.export()}
    assert exported["P-7-o"]["person"] == {"name": ERASED}
    assert exported["P-7-o"]["note"] == ERASED
    assert exported["P-7-t"]["place"] == ERASED
    assert exported["P-70-o"]["person"]["national_id"] == cases[70][2]
    assert len(app.case_history("P-7")) == 2
    assert hits(caplog.text.encode(), cases) == []
