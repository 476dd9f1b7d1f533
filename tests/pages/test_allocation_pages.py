"""Allocation support (issue 13 goal 4) on the pages: the vacant municipal dwellings of a day,
for one of them the waiting households that fit in waiting-list order (with names, the view
logged), and the case page's settlement form filled in from the address."""

from __future__ import annotations

import re

from fastapi import FastAPI

from api.access_log import AccessLog
from api.services import ReadModels, Services
from projections.allocation import households_that_fit, vacant_dwellings
from tests.pages.conftest import Moss, Pages

DAY = "2023-09-01"
DWELLING_ROW = re.compile(r'<tr data-dwelling="([^"]+)"')
CASE_ROW = re.compile(r'<tr data-case="([^"]+)"')


def read_models(app: FastAPI) -> ReadModels:
    services: Services = app.state.services
    services.reads.refresh(services.app)
    return services.reads


def test_the_allocation_page_lists_the_vacant_municipal_dwellings_longest_vacant_first(
    pages: Pages, app: FastAPI
) -> None:
    with read_models(app).reading() as tx:
        vacant = vacant_dwellings(tx, DAY)
    page = pages.sign_in("kari").client.get(f"/app/tildeling?dato={DAY}")
    assert page.status_code == 200
    assert DWELLING_ROW.findall(page.text) == [d.dwelling_ref for d in vacant] and vacant
    days = [d.days_vacant for d in vacant]
    assert days == sorted(days, reverse=True)


def test_a_dwellings_fitting_households_are_shown_in_order_with_names_and_logged(
    pages: Pages, app: FastAPI, moss: Moss
) -> None:
    with read_models(app).reading() as tx:
        vacant = vacant_dwellings(tx, DAY)
        chosen = next(
            d
            for d in vacant
            if households_that_fit(tx, DAY, d, moss.service.municipality.allocation)
        )
        fits = households_that_fit(tx, DAY, chosen, moss.service.municipality.allocation)
    log = AccessLog(moss.service.sql)
    before = len(log.entries(limit=1_000_000))
    page = pages.sign_in("kari").client.get(f"/app/tildeling/{chosen.dwelling_ref}?dato={DAY}")
    assert page.status_code == 200
    assert CASE_ROW.findall(page.text) == [r.case_ref for r in fits]
    top = fits[0].case_ref
    link = (
        f"/app/saker/{top}?skjema=Settled&amp;dwelling={chosen.dwelling_ref}&amp;on={DAY}"
        "&amp;tenure=municipal_rental#skjema-bosetting"
    )
    assert link in page.text
    after = log.entries(limit=1_000_000)
    added = after[: len(after) - before]
    assert sorted(e.case for e in added) == sorted(r.case_ref for r in fits)
    assert {e.route for e in added} == {"GET /app/tildeling/{dwelling}"}


def test_only_the_roles_that_read_the_waiting_list_use_allocation(
    pages: Pages, app: FastAPI, moss: Moss
) -> None:
    for name in ("hanne", "leif", "anne"):
        client = Pages(app, moss).sign_in(name).client
        assert client.get(f"/app/tildeling?dato={DAY}").status_code == 403, name
    kari = pages.sign_in("kari").client
    assert kari.get(f"/app/tildeling/B-NONE?dato={DAY}").status_code == 404


def test_the_case_page_draws_the_settlement_form_filled_in_from_the_address(
    pages: Pages, app: FastAPI, moss: Moss
) -> None:
    with read_models(app).reading() as tx:
        vacant = vacant_dwellings(tx, DAY)
        dwelling = vacant[0]
        fits = [
            row.case_ref
            for d in vacant
            for row in households_that_fit(tx, DAY, d, moss.service.municipality.allocation)
        ]
    # a household that may still be settled today (the form is offered as the case stands now)
    ref = next(
        r
        for r in fits
        if (now := moss.service.get_case(r).state()).settled is None and not now.closed
    )
    page = pages.sign_in("kari").client.get(
        f"/app/saker/{ref}?skjema=Settled&dwelling={dwelling.dwelling_ref}&on={DAY}"
        "&tenure=municipal_rental"
    )
    assert page.status_code == 200
    form = page.text[page.text.index('id="skjema-bosetting"') :]
    form = form[: form.index("</details>")]
    assert form.startswith('id="skjema-bosetting" open>')
    assert re.search(rf'name="dwelling"[^>]*value="{dwelling.dwelling_ref}"', form)
    assert re.search(rf'name="on" type="date"[^>]*value="{DAY}"', form)
    assert '<option value="municipal_rental" selected>' in form
    plain = pages.client.get(f"/app/saker/{ref}").text
    plain_form = plain[plain.index('id="skjema-bosetting"') :]
    assert not plain_form.startswith('id="skjema-bosetting" open')
    assert f'value="{dwelling.dwelling_ref}"' not in plain_form[: plain_form.index("</details>")]
