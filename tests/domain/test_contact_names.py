"""The contact names of many cases in one call (domain/contact_names.py, issue 13): on both
backends the same names the case page shows, «[slettet]» once a case is erased, and a few
queries for hundreds of cases rather than two per case."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from domain.application import Boligspor
from domain.contact_names import contact_names
from domain.sealing import ERASED
from tests.conftest import sample_lines


class OneByOne:
    """The application seen only through `case_person`: the one-case-at-a-time path."""

    def __init__(self, app: Boligspor) -> None:
        self.app = app

    def case_person(self, ref: str) -> dict[str, Any]:
        return self.app.case_person(ref)


@pytest.fixture
def moss(new_app: Callable[[], Boligspor]) -> Boligspor:
    app = new_app()
    app.submit(sample_lines("moss-2023.jsonl"))
    return app


def case_refs() -> list[str]:
    return sorted(
        {
            json.loads(line)["case"]
            for _, line in sample_lines("moss-2023.jsonl")
            if '"case":' in line
        }
    )


def test_the_names_of_every_case_are_the_case_pages_and_erasure_shows_at_once(
    moss: Boligspor,
) -> None:
    every = case_refs()
    assert len(contact_names(moss, every)) == len(every) > 1000
    refs = every[::4]  # a few hundred, asked also one case at a time
    names = contact_names(moss, refs)
    assert list(names) == refs
    assert names == contact_names(OneByOne(moss), refs)
    assert all(names[ref] for ref in refs[:50])
    moss.erase_case(refs[3], reason="test", by="admin")
    again = contact_names(moss, refs[:10])
    assert again[refs[3]] == ERASED
    assert {ref: again[ref] for ref in refs[:10] if ref != refs[3]} == {
        ref: names[ref] for ref in refs[:10] if ref != refs[3]
    }
