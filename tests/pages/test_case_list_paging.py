"""The case list a page at a time: the pages add up to every open case the viewer may read,
the filters narrow it, and the paging speaks Norwegian."""

from __future__ import annotations

import re

import pytest
from fastapi import FastAPI

from api.pages.case_list import PAGE_SIZE
from domain.values import GROUPS
from projections.case_status import open_cases_on
from projections.cases_on_day import team_case_refs
from tests.pages.conftest import Moss, Pages, build_moss, pages_app

CASE_LINK = re.compile(r'<h2><a href="/app/saker/([^"]+)">')
TOTAL = re.compile(r'<span class="count" id="total">(\d+)</span>')


def every_page(pages: Pages, query: str = "") -> tuple[list[str], int, int]:
    """The case refs of every page of the list, the total it states and how many pages."""
    refs: list[str] = []
    side, total = 1, -1
    while True:
        answer = pages.client.get(f"/app/mine?{query}{'&' if query else ''}side={side}")
        assert answer.status_code == 200, answer.text
        found = TOTAL.search(answer.text)
        assert found is not None
        total = int(found.group(1))
        shown = CASE_LINK.findall(answer.text)
        assert len(shown) <= PAGE_SIZE
        refs += shown
        if 'rel="next"' not in answer.text:
            return refs, total, side
        side += 1


def open_cases(app: FastAPI, moss: Moss) -> set[str]:
    with app.state.services.reads.reading() as tx:
        return open_cases_on(tx, moss.service.today().isoformat())


def test_the_pages_of_the_case_workers_list_add_up_to_every_open_case(
    app: FastAPI, pages: Pages, moss: Moss
) -> None:
    refs, total, count = every_page(pages.sign_in("kari"))

    expected = open_cases(app, moss)
    assert count > 1
    assert len(refs) == len(set(refs)) == total
    assert set(refs) == expected
    assert refs == sorted(refs)


def test_the_paging_controls_speak_norwegian(pages: Pages) -> None:
    first = pages.sign_in("kari").client.get("/app/mine").text
    second = pages.client.get("/app/mine?side=2").text

    assert "Side 1 / " in first and ">Neste side</a>" in first
    assert "Forrige side" not in first
    assert f"viser 1–{PAGE_SIZE}" in first
    assert ">Forrige side</a>" in second and f"viser {PAGE_SIZE + 1}–" in second


def test_the_groups_split_the_list_and_each_filtered_list_adds_up(
    app: FastAPI, pages: Pages, moss: Moss
) -> None:
    pages.sign_in("kari")
    by_group = {group: every_page(pages, f"gruppe={group}")[:2] for group in GROUPS}

    everything = [ref for refs, _ in by_group.values() for ref in refs]
    assert all(len(refs) == total for refs, total in by_group.values())
    assert sorted(everything) == sorted(open_cases(app, moss))


@pytest.fixture(scope="module")
def with_stays(tmp_path_factory: pytest.TempPathFactory) -> Pages:
    """The Moss sample of this module's own, three open cases in a stay started yesterday."""
    moss = build_moss(tmp_path_factory.mktemp("stays"))
    app = pages_app(moss)
    started = sorted(open_cases(app, moss))[60:63]
    for n, ref in enumerate(started):
        stay = {"id": f"paging-stay-{n}", "type": "TemporaryStayStarted", "case": ref}
        stay.update(on="2026-11-20", stay=f"paging-{n}", kind="hotel", by="kari")
        assert moss.service.submit([(1, stay)]).stored
    return Pages(app, moss)


def test_only_cases_in_a_stay_are_listed_when_asked(with_stays: Pages) -> None:
    pages = with_stays.sign_in("kari")
    in_stay, total, _ = every_page(pages, "opphold=1")
    everything, all_total, _ = every_page(pages)

    assert total == 3 < all_total
    assert set(in_stay) < set(everything)
    first = pages.client.get("/app/mine?opphold=1").text
    assert first.count("Midlertidig opphold</dt>") == min(total, PAGE_SIZE)


def test_a_field_users_pages_add_up_to_their_teams_open_cases(
    app: FastAPI, pages: Pages, moss: Moss
) -> None:
    refs, total, _ = every_page(pages.sign_in("hanne"))

    with app.state.services.reads.reading() as tx:
        team = team_case_refs(tx, "housing_first")
    assert len(refs) == len(set(refs)) == total > 0
    assert set(refs) == team & open_cases(app, moss)


def test_an_unknown_group_is_refused_in_norwegian(pages: Pages) -> None:
    answer = pages.sign_in("kari").client.get("/app/mine?gruppe=nope")

    assert answer.status_code == 400
    assert "Ugyldig valg i filteret." in answer.text
