"""The demo registers its dwellings in the configured municipality's school districts."""

from __future__ import annotations

from collections import Counter
from datetime import date

from domain.demo import generate
from domain.municipality import MOSS, load_municipality
from tests.municipalities import TESTVIK


def _districts(events: list[dict[str, object]]) -> Counter[object]:
    return Counter(e["district"] for e in events if e["type"] == "DwellingRegistered")


def test_another_municipality_gets_dwellings_in_each_of_its_districts_only() -> None:
    testvik = load_municipality(TESTVIK)
    events = list(
        generate(3, today=date(2024, 1, 1), scale="small", districts=testvik.district_codes)
    )
    assert set(_districts(events)) == set(testvik.district_codes)


def test_moss_keeps_its_working_table_weights() -> None:
    counts = _districts(list(generate(3, today=date(2024, 1, 1), scale="small")))
    assert set(counts) <= set(MOSS.district_codes)
    assert counts["ramberg"] > counts["refsnes"]  # 211 of Ramberg's against Refsnes's 11
