"""The case page opens with where the household stands today: the waiting list's priority and
days, the stay's kind and nights, the dwelling's district and the lease, open complaints, the
latest follow-up per team and the case's watch-list alerts, all in Norwegian."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi import FastAPI

from api.pages.state import norwegian_date
from api.services import Services
from projections.case_standing import standing_from_events
from projections.history import days_between
from projections.labels import code_label
from projections.temporary_stays import stays_held_on
from projections.waiting_list import members_on
from tests.conftest import TODAY_NOW
from tests.pages.conftest import Moss, Pages, build_moss, pages_app
from workers import raise_watch_list_alerts

TODAY = TODAY_NOW.date().isoformat()


@pytest.fixture(scope="module")
def own_moss(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Moss, FastAPI]]:
    moss = build_moss(tmp_path_factory.mktemp("summary"))
    app = pages_app(moss)
    services: Services = app.state.services
    with services.reads.store() as store:
        raise_watch_list_alerts.run(moss.service, store, TODAY_NOW)
    yield moss, app


def summary_text(pages: Pages, ref: str) -> str:
    page = pages.client.get(f"/app/saker/{ref}")
    assert page.status_code == 200, page.text
    html = page.text
    block = html[html.index('id="status"') : html.index("</section>", html.index('id="status"'))]
    return " ".join(re.sub(r"<[^>]+>", " ", block).split())


def reading(app: FastAPI) -> Services:
    services: Services = app.state.services
    services.reads.catch_up(services.app)
    return services


def test_a_member_of_the_waiting_list_stands_there_with_its_priority_and_days(
    own_moss: tuple[Moss, FastAPI],
) -> None:
    moss, app = own_moss
    with reading(app).reads.reading() as tx:
        members = sorted(members_on(tx, TODAY))
    assert members
    pages = Pages(app, moss).sign_in("kari")
    for ref, priority, joined_on in members[:3]:
        shown = summary_text(pages, ref)
        days = days_between(joined_on, TODAY)
        expected = (
            f"På ventelisten Siden {norwegian_date(joined_on)} · prioritet"
            f" {code_label('priority', priority).lower()} · {days} dager på ventelisten"
        )
        assert expected in shown, shown


def test_a_household_in_a_temporary_stay_shows_its_kind_and_nights(
    own_moss: tuple[Moss, FastAPI],
) -> None:
    moss, app = own_moss
    opened = (
        '{"id":"sum-open-1","type":"CaseOpened","case":"S-SUM-1","on":"2026-11-01",'
        '"group":"families","household":{"adults":2,"children":1},"situation":"rough",'
        '"person":{"name":"Test Testesen"}}'
    )
    stay = (
        '{"id":"sum-stay-1","type":"TemporaryStayStarted","case":"S-SUM-1","on":"2026-11-09",'
        '"stay":"opphold-sum-1","kind":"hotel"}'
    )
    moss.service.submit([(1, opened), (2, stay)])
    with reading(app).reads.reading() as tx:
        held = [s for s in stays_held_on(tx, TODAY) if s.case_ref == "S-SUM-1"]
    assert [(s.kind, s.started_on) for s in held] == [("hotel", "2026-11-09")]
    shown = summary_text(Pages(app, moss).sign_in("kari"), "S-SUM-1")
    assert "Midlertidig opphold Hotell Siden 09.11.2026 · 12 netter" in shown
    assert "Husstand 2 voksne, 1 barn" in shown and "Bosituasjon Uten tak over hodet" in shown
    assert "opphold-sum-1" not in shown


def test_a_settled_household_shows_its_district_tenure_and_lease(
    own_moss: tuple[Moss, FastAPI],
) -> None:
    moss, app = own_moss
    ref = "S-00115"  # settled in B-0753 (Melløs), in Housing First, with an open complaint
    standing = standing_from_events(ref, moss.service.export(case=ref), TODAY)
    assert standing.housed is not None and standing.housed.lease_until is not None
    shown = summary_text(Pages(app, moss).sign_in("kari"), ref)
    assert "Bosatt Bolig B-0753 · Melløs · Kommunal utleiebolig siden" in shown
    assert f"leiekontrakt til {norwegian_date(standing.housed.lease_until)}" in shown
    assert f"Housing First Siden {norwegian_date(str(standing.housing_first_since))}" in shown
    assert "Åpne klager 27.07.2024 · Hygiene/forsøpling" in shown
    assert "Housing First: 07.04.2024 · Praktisk hjelp (120 min)" in shown
    assert "_" not in shown and "B-0753 ·" in shown


def test_the_watch_lists_alerts_of_the_case_are_in_its_summary(
    own_moss: tuple[Moss, FastAPI],
) -> None:
    moss, app = own_moss
    alerts = reading(app).reads.open_alerts(None)
    assert alerts
    ref = sorted(alerts, key=lambda a: a.case_ref)[0].case_ref
    shown = summary_text(Pages(app, moss).sign_in("kari"), ref)
    assert "Varsler" in shown
    quiet = next(
        r for r in ("S-00010", "S-00002", "S-00004") if r not in {a.case_ref for a in alerts}
    )
    assert "Varsler" not in summary_text(Pages(app, moss).sign_in("kari"), quiet)


def test_the_summary_follows_a_new_event_at_once(own_moss: tuple[Moss, FastAPI]) -> None:
    moss, app = own_moss
    ref = "S-00010"
    pages = Pages(app, moss).sign_in("kari")
    before = summary_text(pages, ref)
    assert "Søknad under behandling" not in before
    assert "Husstand 1 voksen, 2 barn" in before
    moss.service.submit(
        [
            (
                1,
                '{"id":"sum-app-1","type":"ApplicationReceived","case":"S-00010",'
                f'"on":"{TODAY}","by":"kari"}}',
            )
        ]
    )
    after = summary_text(pages, ref)
    assert f"Søknad under behandling Siden {norwegian_date(TODAY)}" in after
