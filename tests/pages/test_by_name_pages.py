"""The by-name list on the figures page: live counts beside the stored ones, each count opening
the cases behind it for the roles that may read them, every case shown logged as a read."""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from fastapi import FastAPI

from api.access_log import AccessLog
from api.case_access import belongs_to_team
from api.pages.by_name_routes import ROUTE
from projections.by_name_list import FIGURES
from projections.db import ReadStore
from projections.monthly_figures import store_new_months
from tests.conftest import SAMPLES
from tests.pages.conftest import Moss, Pages, build_moss, pages_app

EXPECTED = json.loads((SAMPLES / "moss-2023.by-name-list-2023.json").read_text(encoding="utf-8"))
FIGURE_NAMES = ("active", *(name for _, name in FIGURES))
CASE_LINK = re.compile(r'<li class="card"><a href="/app/saker/([^"]+)">')


def expected_count(month: dict[str, object], figure: str) -> int:
    for group, name in FIGURES:
        if name == figure:
            inner = month[group]
            assert isinstance(inner, dict)
            return int(inner[name])
    return int(str(month[figure]))


@contextmanager
def moss_read_store(pages: Pages) -> Iterator[ReadStore]:
    with pages.client.app.state.services.reads.store() as store:  # type: ignore[attr-defined]
        yield store


def cases_behind(pages: Pages, month: str, figure: str) -> list[str]:
    """Every case the list behind a count shows, page after page."""
    refs: list[str] = []
    side = 1
    while True:
        answer = pages.client.get(f"/app/tall/by-name-liste/{month}/{figure}?side={side}")
        assert answer.status_code == 200, answer.text
        refs += CASE_LINK.findall(answer.text)
        if 'rel="next"' not in answer.text:
            return refs
        side += 1


def test_the_cases_behind_every_count_of_the_moss_sample_add_up_to_the_count(
    pages: Pages,
) -> None:
    pages.sign_in("kari")
    for month in EXPECTED["months"]:
        for figure in FIGURE_NAMES:
            refs = cases_behind(pages, month["month"], figure)
            assert len(refs) == expected_count(month, figure), (month["month"], figure)
            assert len(set(refs)) == len(refs)


@pytest.fixture(scope="module")
def own_moss(tmp_path_factory: pytest.TempPathFactory) -> Moss:
    """The Moss sample in a store of this module's own (its tests restrict a case, store
    figures)."""
    return build_moss(tmp_path_factory.mktemp("by-name"))


@pytest.fixture
def own_pages(own_moss: Moss) -> Pages:
    return Pages(pages_app(own_moss), own_moss)


def test_each_case_a_list_shows_is_logged_as_a_read_by_the_viewer(pages: Pages, moss: Moss) -> None:
    pages.sign_in("kari")
    refs = cases_behind(pages, "2023-06", "active")

    log = AccessLog(moss.service.sql)
    for ref in refs:
        reads = [e for e in log.entries(case=ref) if e.route == ROUTE and e.user == "kari"]
        assert reads, ref
    assert refs


def test_a_field_user_sees_only_the_cases_of_their_team_behind_a_count(
    app: FastAPI, pages: Pages, moss: Moss
) -> None:
    all_refs = cases_behind(pages.sign_in("kari"), "2023-06", "active")
    hanne = Pages(app, moss).sign_in("hanne")

    team_refs = cases_behind(hanne, "2023-06", "active")

    services = app.state.services
    assert set(team_refs) < set(all_refs)
    assert all(belongs_to_team(services, ref, "housing_first") for ref in team_refs)
    assert [r for r in all_refs if belongs_to_team(services, r, "housing_first")] == team_refs


def test_a_restricted_case_is_behind_the_count_for_an_admin_only(own_pages: Pages) -> None:
    moss = own_pages.moss
    before = cases_behind(own_pages.sign_in("kari"), "2023-06", "active")
    moss.service.restrict_case(before[0], reason="sperret i test", by="anne")

    after = cases_behind(own_pages, "2023-06", "active")
    admin = cases_behind(Pages(own_pages.client.app, moss).sign_in("anne"), "2023-06", "active")

    assert after == before[1:]
    assert admin == before


def test_a_leader_sees_the_counts_but_no_list_behind_them(app: FastAPI, moss: Moss) -> None:
    leif = Pages(app, moss).sign_in("leif")

    figures = leif.client.get("/app/tall?aar=2023")
    cases = leif.client.get("/app/tall/by-name-liste/2023-06/active")

    assert figures.status_code == 200
    assert 'id="by-name"' in figures.text
    assert "/app/tall/by-name-liste/" not in figures.text
    assert cases.status_code == 403


def test_the_figures_page_shows_each_live_count_linked_to_its_cases(pages: Pages) -> None:
    page = pages.sign_in("kari").client.get("/app/tall?aar=2023").text

    june = EXPECTED["months"][5]
    assert f'href="/app/tall/by-name-liste/2023-06/active">{june["active"]}</a>' in page


def test_the_published_figures_hide_small_counts_and_link_to_no_cases(pages: Pages) -> None:
    page = pages.sign_in("kari").client.get("/app/tall?aar=2023&offentlig=1").text
    section = page[page.index('id="by-name"') :]

    assert "/app/tall/by-name-liste/" not in section
    assert "&lt;5" in section


def test_the_stored_figures_stand_beside_the_live_ones_with_the_change_since(
    own_pages: Pages,
) -> None:
    march = copy.deepcopy(EXPECTED["months"][2])
    march["active"] -= 3
    with moss_read_store(own_pages) as store:
        store_new_months(store, [march], "2023-04-01T00:45:00+02:00", 0)

    page = own_pages.sign_in("kari").client.get("/app/tall?aar=2023").text
    row = page[page.index('<th scope="row" data-label="Måned">mars 2023</th>') :]
    row = row[: row.index("</tr>")]

    live = EXPECTED["months"][2]["active"]
    assert f'>{live}</a><br><span class="meta">talt: {live - 3} (+3)</span>' in row
    assert "01.04.2023" in row
    assert "Ikke talt" in page  # the other months were never stored


def test_a_case_opened_in_the_month_is_behind_its_counts_at_once(own_pages: Pages) -> None:
    moss = own_pages.moss
    own_pages.sign_in("kari")
    before = cases_behind(own_pages, "2023-06", "newly_identified")
    opened = {
        "id": "by-name-new-1",
        "type": "CaseOpened",
        "case": "S-BYNAME-1",
        "on": "2023-06-10",
        "household": {"adults": 1, "children": 0},
        "group": "other",
        "situation": "rough",
        "person": {"name": "Test Testesen"},
        "by": "kari",
    }
    assert moss.service.submit([(1, opened)]).stored

    after = cases_behind(own_pages, "2023-06", "newly_identified")
    active = cases_behind(own_pages, "2023-06", "active")

    assert sorted(after) == sorted([*before, "S-BYNAME-1"])
    assert "S-BYNAME-1" in active
