"""`GET /api/cases?search=` on both backends: role-scoped as the case list is, found in any
spelling and by a national id with a space, logged without the text; after `case erase` the
case is found neither by name nor by national id."""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from api.access_log import AccessEntry
from domain.demo import national_id
from projections.cases_on_day import team_case_refs
from tests.api.conftest import CARETAKER_CASE, NO_TEAM_CASE, RESTRICTED_CASE, Api
from tests.cli.running import boligspor

OSTBY = "S-OSTBY"  # no team
OSTBY_CARETAKER = "S-OSTBY2"  # followed up by the caretaker team
ERASED = "S-ERASE"


def _id(seed: int, born: date) -> str:
    return national_id(random.Random(seed), born)


OSTBY_ID = _id(21, date(1979, 3, 4))
ERASED_ID = _id(22, date(1990, 8, 9))


def opened(ref: str, name: str, **person: str) -> dict[str, Any]:
    return {
        "id": f"search-{ref.lower()}",
        "type": "CaseOpened",
        "case": ref,
        "on": "2025-02-03",
        "household": {"adults": 1, "children": 1},
        "group": "families",
        "situation": "friends_family",
        "person": {"name": name, **person},
    }


@pytest.fixture(scope="module")
def people(moss: Api) -> Iterator[Api]:
    moss.app.submit(
        [
            (1, opened(OSTBY, "Kari Østby", national_id=OSTBY_ID, phone="912 34 567")),
            (2, opened(OSTBY_CARETAKER, "Per Østby")),
            (
                3,
                {
                    "id": "search-follow-up",
                    "type": "FollowUpLogged",
                    "case": OSTBY_CARETAKER,
                    "on": "2025-02-04",
                    "team": "caretaker",
                    "kind": "home_visit",
                    "minutes": 30,
                },
            ),
            (4, opened(ERASED, "Guro Slettebakk", national_id=ERASED_ID)),
        ]
    )
    yield moss


def refs(api: Api, text: str, role: str, **params: Any) -> list[str]:
    answer = api.get("/api/cases", as_=role, params={"search": text, **params})
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["total"] >= len(body["items"])
    return [item["ref"] for item in body["items"]]


def search_entries(api: Api) -> list[AccessEntry]:
    return [e for e in api.services.access_log.entries(limit=5000) if "search" in e.route]


def test_a_case_worker_finds_ostby_in_every_spelling_and_by_the_id_with_a_space(
    people: Api,
) -> None:
    for text in ("ostby", "Østby", "oestby", "kari østby", "KARI"):
        assert OSTBY in refs(people, text, "caseworker", limit=500), text
    assert refs(people, "ostby", "caseworker") == [OSTBY, OSTBY_CARETAKER]
    spaced = f"{OSTBY_ID[:6]} {OSTBY_ID[6:]}"
    assert refs(people, spaced, "caseworker") == [OSTBY]
    assert refs(people, "91234567", "caseworker") == [OSTBY]
    assert refs(people, OSTBY.lower(), "caseworker") == [OSTBY]
    assert refs(people, "ostby", "caseworker", group="refugee") == []


def test_a_field_user_never_finds_another_teams_case(people: Api) -> None:
    assert refs(people, "ostby", "field") == [OSTBY_CARETAKER]
    assert refs(people, OSTBY_ID, "field") == []
    assert refs(people, "ostby", "housing_first") == []
    with people.services.reads.reading() as tx:
        caretaker = team_case_refs(tx, "caretaker")
    # Common name parts find many cases: a field user's answers are all the team's.
    surname = people.app.case_person(CARETAKER_CASE)["name"].split()[-1]
    for text in (surname, surname[:2]):
        everyone = refs(people, text, "caseworker", limit=500)
        found = refs(people, text, "field", limit=500)
        assert set(found) <= caretaker, text
        assert set(everyone) - caretaker, text  # there was another team's case to leave out
    assert CARETAKER_CASE in refs(people, surname, "field", limit=500)
    assert refs(people, NO_TEAM_CASE, "caseworker") == [NO_TEAM_CASE]
    assert refs(people, NO_TEAM_CASE, "field") == []
    assert refs(people, CARETAKER_CASE.lower(), "field") == [CARETAKER_CASE]


def test_restricted_cases_are_found_by_admins_only(people: Api) -> None:
    name = people.app.case_person(RESTRICTED_CASE)["name"]
    assert RESTRICTED_CASE not in refs(people, name, "caseworker", limit=500)
    assert RESTRICTED_CASE not in refs(people, RESTRICTED_CASE, "caseworker")
    assert RESTRICTED_CASE in refs(people, name, "admin", limit=500)


def test_each_case_shown_is_logged_without_the_search_text(people: Api) -> None:
    before = len(search_entries(people))
    assert refs(people, OSTBY_ID, "caseworker") == [OSTBY]
    assert refs(people, "ostby", "field") == [OSTBY_CARETAKER]
    assert refs(people, "no such name at all", "caseworker") == []
    new = search_entries(people)[: len(search_entries(people)) - before]
    assert [(e.user, e.case, e.route) for e in new] == [
        ("ola", OSTBY_CARETAKER, "GET /api/cases?search"),
        ("kari", OSTBY, "GET /api/cases?search"),
    ]
    rows = people.app.sql.query(f"SELECT * FROM {people.app.sql.table('access_log')}")
    logged = repr(rows)
    assert OSTBY_ID not in logged and "ostby" not in logged.lower().replace("s-ostby", "")


def test_after_case_erase_neither_the_name_nor_the_id_finds_the_case(
    people: Api, tmp_path: Path
) -> None:
    assert refs(people, "slettebakk", "caseworker") == [ERASED]
    assert refs(people, ERASED_ID, "caseworker") == [ERASED]
    erased = boligspor(
        people.services.settings.database_url,
        tmp_path,
        "case",
        "erase",
        ERASED,
        "--reason",
        "oppbevaringstiden er ute",
    )
    assert erased.returncode == 0, erased.stderr
    assert refs(people, "slettebakk", "caseworker") == []
    assert refs(people, ERASED_ID, "caseworker") == []
    assert refs(people, "slettebakk", "admin") == []
    assert people.app.search_index.entries_of(f"case:{ERASED}") == 0
    assert refs(people, ERASED, "caseworker") == [ERASED]  # its ref is not personal

    rebuilt = boligspor(people.services.settings.database_url, tmp_path, "search-index", "rebuild")
    assert rebuilt.returncode == 0 and "Søkeindeksen er bygd på nytt" in rebuilt.stdout
    assert refs(people, ERASED_ID, "caseworker") == []
    assert refs(people, "ostby", "caseworker") == [OSTBY, OSTBY_CARETAKER]


def test_hidden_characters_in_a_search_are_ignored_not_a_server_error(people: Api) -> None:
    assert refs(people, "\x00 Østby\u200b", "caseworker") == [OSTBY, OSTBY_CARETAKER]
    assert refs(people, "S-OSTBY\x00", "caseworker") == [OSTBY]  # the NUL is dropped
    assert refs(people, "\x00\u2028", "caseworker") == []
