"""Names where people work (issue 13 goals 2 and 3): Mine saker, the case list and the waiting
list show the households' contact names to the roles that may read those cases, each view
logged once with the cases it shows; restricted cases stay hidden but for admins; an erased
case reads «[slettet]»; the waiting list's download holds every household, and is logged as a
read of each.

These tests restrict and erase cases, so they have a Moss store of their own."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from fastapi import FastAPI
from openpyxl import load_workbook

from api.access_log import AccessEntry, AccessLog
from api.services import Services
from domain.contact_names import contact_names
from projections.working_list import WaitingHousehold, working_list
from tests.pages.conftest import Pages, build_moss, every_page, pages_app

DAY = "2023-09-01"
ROW = re.compile(r'<tr data-case="([^"]+)"')
CARD = re.compile(r'<h2><a href="/app/saker/([^"]+)">')


class Own:
    """A Moss store of this module's own, its pages app, and its services."""

    def __init__(self, folder: Path) -> None:
        self.moss = build_moss(folder)
        self.app: FastAPI = pages_app(self.moss)
        self.services: Services = self.app.state.services

    def pages(self, name: str) -> Pages:
        return Pages(self.app, self.moss).sign_in(name)

    def log(self) -> list[AccessEntry]:
        return AccessLog(self.moss.service.sql).entries(limit=1_000_000)

    def added_since(self, before: list[AccessEntry]) -> list[AccessEntry]:
        after = self.log()
        assert after[len(after) - len(before) :] == before  # nothing changed, only added
        return after[: len(after) - len(before)]

    def waiting(self, day: str = DAY) -> list[WaitingHousehold]:
        self.services.reads.refresh(self.moss.service)
        with self.services.reads.reading() as tx:
            return working_list(tx, day, self.moss.service.municipality.allocation)

    def name(self, ref: str) -> str:
        return contact_names(self.moss.service, [ref])[ref]


@pytest.fixture(scope="module")
def own(tmp_path_factory: pytest.TempPathFactory) -> Own:
    return Own(tmp_path_factory.mktemp("names"))


def test_the_waiting_list_shows_every_household_with_its_name_and_logs_each_view_once(
    own: Own,
) -> None:
    expected = own.waiting()
    client = own.pages("kari").client
    shown: list[str] = []
    for side in (1, 2, 3):  # 100 a page; a page past the end is the last one
        before = own.log()
        page = client.get(f"/app/venteliste?dato={DAY}&side={side}")
        assert page.status_code == 200, page.text
        on_page = ROW.findall(page.text)
        assert "193 husstander" in page.text
        added = own.added_since(before)
        assert sorted(e.case for e in added) == sorted(on_page)
        assert {(e.user, e.role, e.route, e.reason, e.flagged) for e in added} == {
            ("kari", "caseworker", "GET /app/venteliste", None, False)
        }
        if side < 3:
            shown += on_page
        else:
            assert on_page == shown[100:]
    assert shown == [r.case_ref for r in expected] and len(shown) == 193
    top = expected[0]
    first_page = client.get(f"/app/venteliste?dato={DAY}").text
    assert own.name(top.case_ref) and own.name(top.case_ref) in first_page


def test_the_waiting_list_filters_by_group_and_priority(own: Own) -> None:
    expected = [r.case_ref for r in own.waiting() if r.group == "families" and r.priority == "high"]
    page = own.pages("kari").client.get(
        f"/app/venteliste?dato={DAY}&gruppe=families&prioritet=high"
    )
    assert ROW.findall(page.text) == expected and expected
    assert own.pages("kari").client.get("/app/venteliste?gruppe=ingen").status_code == 400


def test_a_leader_sees_the_totals_but_no_household_and_nothing_is_logged(own: Own) -> None:
    before = own.log()
    page = own.pages("leif").client.get(f"/app/venteliste?dato={DAY}")
    assert page.status_code == 200
    assert 'id="total">193<' in page.text and not ROW.findall(page.text)
    assert own.name(own.waiting()[0].case_ref) not in page.text
    assert own.log() == before
    assert own.pages("leif").client.get(f"/app/venteliste.xlsx?dato={DAY}").status_code == 403


def test_the_download_holds_every_household_in_order_and_is_a_read_of_each(own: Own) -> None:
    expected = own.waiting()
    before = own.log()
    answer = own.pages("kari").client.get(f"/app/venteliste.xlsx?dato={DAY}")
    assert answer.status_code == 200
    disposition = answer.headers["content-disposition"]
    assert disposition == 'attachment; filename="venteliste-2023-09-01.xlsx"'
    book = load_workbook(io.BytesIO(answer.content))
    sheet = book["Venteliste"]
    header = [c.value for c in sheet[3]]
    assert header[:4] == ["Nr.", "Kontaktperson", "Sak", "Gruppe"]
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=4, max_row=3 + 193)]
    assert [row[2] for row in rows] == [r.case_ref for r in expected]
    assert rows[0][1] == own.name(expected[0].case_ref)
    assert rows[0][9] == expected[0].days_waited
    assert sheet.cell(4 + 193, 1).value is None  # no row more
    added = own.added_since(before)
    assert sorted(e.case for e in added) == sorted(r.case_ref for r in expected)
    assert {e.route for e in added} == {"GET /app/venteliste.xlsx"}


def test_the_api_gives_the_households_with_names_and_logs_each(own: Own) -> None:
    expected = own.waiting()
    token = own.moss.tokens["kari"]
    before = own.log()
    answer = own.pages("kari").client.get(
        f"/api/waiting-list/households?as_of={DAY}&limit=20",
        headers={"Authorization": f"Bearer {token}"},
    )
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["total"] == 193
    assert [i["case"] for i in body["items"]] == [r.case_ref for r in expected[:20]]
    assert body["items"][0]["name"] == own.name(expected[0].case_ref)
    assert sorted(e.case for e in own.added_since(before)) == sorted(
        r.case_ref for r in expected[:20]
    )
    leader = own.pages("leif").client.get(
        "/api/waiting-list/households",
        headers={"Authorization": f"Bearer {own.moss.tokens['leif']}"},
    )
    assert leader.status_code == 403


def test_mine_shows_the_teams_cases_with_names_and_logs_the_cases_shown(own: Own) -> None:
    before = own.log()
    text = every_page(own.pages("hanne").client, "/app/mine")
    shown = CARD.findall(text)
    assert shown
    for ref in shown[:5]:
        assert f'{ref}</a> <span class="contact">{own.name(ref)}</span>' in text
    added = own.added_since(before)
    assert sorted(e.case for e in added) == sorted(shown)
    assert {(e.user, e.route) for e in added} == {("hanne", "GET /app/mine")}
    # the caretakers' list shows none of the Housing First team's own cases it does not share
    other = CARD.findall(every_page(own.pages("ola").client, "/app/mine"))
    only_hanne = set(shown) - set(other)
    assert only_hanne
    caretaker_page = every_page(own.pages("ola").client, "/app/mine")
    for ref in sorted(only_hanne)[:5]:
        assert f'href="/app/saker/{ref}"' not in caretaker_page


def test_a_restricted_case_is_hidden_from_the_lists_but_for_admins(own: Own) -> None:
    ref = own.waiting()[1].case_ref
    own.moss.service.restrict_case(ref, reason="sperret i test", by="anne")
    waiting = own.pages("kari").client.get(f"/app/venteliste?dato={DAY}").text
    cases = every_page(own.pages("kari").client, "/app/mine")
    assert ref not in ROW.findall(waiting) and "192 husstander" in waiting
    assert f'href="/app/saker/{ref}"' not in cases
    before = own.log()
    admin = every_page(own.pages("anne").client, "/app/mine")
    assert f'{ref}</a> <span class="contact">{own.name(ref)}</span>' in admin
    assert ref in {e.case for e in own.added_since(before)}


def test_an_erased_case_reads_slettet_in_the_lists(own: Own) -> None:
    ref = own.waiting()[0].case_ref
    listed = CARD.findall(every_page(own.pages("kari").client, "/app/mine"))
    open_today = next(r for r in listed if r != ref)
    names = {r: own.name(r) for r in (ref, open_today)}
    for erased in names:
        own.moss.service.erase_case(erased, reason="slettet i test", by="anne")
    waiting = own.pages("kari").client.get(f"/app/venteliste?dato={DAY}").text
    row = waiting[waiting.index(f'<tr data-case="{ref}"') :]
    row = row[: row.index("</tr>")]
    assert "[slettet]" in row and names[ref] not in row
    cases = every_page(own.pages("kari").client, "/app/mine")
    assert f'{open_today}</a> <span class="contact">[slettet]</span>' in cases
