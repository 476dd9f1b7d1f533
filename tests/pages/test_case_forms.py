"""Every event type has a form (issue 12, goals 1, 2 and 5): «Ny sak» with a national id checked
on the server, forms offered as the case allows, pickers that name things as a person does,
date limits, refused forms drawn again filled in, and who may correct and open what."""

from __future__ import annotations

import json
import re
from datetime import date

import pytest
from fastapi import FastAPI

from api.case_access import check_writable
from api.errors import Forbidden
from api.pages import pickers
from api.pages.form_fields import inputs
from api.pages.forms import (
    CASE_OPENED,
    DWELLING_REGISTERED,
    DWELLING_RETIRED,
    FORMS,
)
from api.pages.state import templates
from domain.errors import RuleBroken
from domain.national_id import national_id_problem
from domain.payloads import PAYLOADS, own_fields
from domain.submissions import Refusal
from projections.refusal_texts import explain
from tests.conftest import SAMPLES
from tests.pages.conftest import Moss, Pages

TODAY = "2026-11-21"  # tests/conftest.py TODAY_NOW


def valid_national_id(start: str = "010190") -> str:
    for serial in range(100, 1000):
        for tail in range(100):
            candidate = f"{start}{serial}{tail:02d}"
            if national_id_problem(candidate) is None:
                return candidate
    raise AssertionError("no valid id")


def new_case_page(pages: Pages) -> str:
    answer = pages.client.get("/app/ny-sak")
    assert answer.status_code == 200, answer.text
    return answer.text


def open_case(pages: Pages, **fields: str) -> tuple[str, object]:
    page = new_case_page(pages)
    data = {**pages.form_values(page, "/app/ny-sak"), "on": "2026-10-01"}
    data.update(
        {
            "household.adults": "2",
            "household.children": "2",
            "group": "families",
            "situation": "friends_family",
            "person.name": "Karin Åsheim",
        }
    )
    data.update(fields)
    return page, pages.client.post("/app/ny-sak", data=data)


def case_of(answer: object) -> str:
    location = answer.headers["location"]  # type: ignore[attr-defined]
    found = re.search(r"/app/saker/([^?]+)", location)
    assert found, location
    return found.group(1)


def complaint_at(pages: Pages, ref: str, dwelling: str) -> object:
    """A damage complaint from the police about the dwelling typed, on the case."""
    return post(
        pages,
        ref,
        "naboklage",
        on="2026-11-04",
        category="damage",
        source="police",
        dwelling=dwelling,
    )


def post(pages: Pages, ref: str, slug: str, **fields: str) -> object:
    page = pages.client.get(f"/app/saker/{ref}").text
    action = f"/app/saker/{ref}/skjema/{slug}"
    assert action in page, f"no {slug} form on {ref}"
    return pages.client.post(action, data={**pages.form_values(page, action), **fields})


def test_every_event_type_has_a_form_built_from_its_declaration() -> None:
    types = {form.event_type for form in FORMS}
    types |= {CASE_OPENED.event_type, DWELLING_REGISTERED.event_type}
    types |= {DWELLING_RETIRED.event_type, "EventRetracted"}  # retraction: on each entry
    assert types == set(PAYLOADS)
    for kind in PAYLOADS:
        names = {f.name.partition(".")[0] for f in inputs(kind)}
        made_or_picked = {"team", "stay", "complaint", "target"}
        declared = {s.name for s in own_fields(kind)} - made_or_picked
        assert declared <= names, kind
    assert [f.name for f in inputs("CaseOpened")] == [
        "on",
        "household.adults",
        "household.children",
        "group",
        "situation",
        "person.name",
        "person.national_id",
        "person.phone",
        "note",
    ]


def test_a_case_worker_opens_a_case_with_a_national_id_under_a_ref_made_for_it(
    pages: Pages, moss: Moss
) -> None:
    pages.sign_in("kari")
    national_id = valid_national_id()
    page, answer = open_case(
        pages, **{"person.national_id": f"{national_id[:6]} {national_id[6:]}"}
    )
    assert 'pattern="' in page and 'data-national-id="' in page
    assert answer.status_code == 303, answer.text  # type: ignore[attr-defined]
    ref = case_of(answer)
    assert re.fullmatch(r"S-2026-[0-9A-F]{6}", ref)
    person = moss.service.case_person(ref)
    assert person["name"] == "Karin Åsheim" and person["national_id"] == national_id
    opened = moss.service.case_history(ref)[0].record
    assert opened.fields["household"] == {"adults": 2, "children": 2}


def test_a_wrong_national_id_is_refused_and_the_form_shown_again_filled_in(
    pages: Pages, moss: Moss
) -> None:
    pages.sign_in("kari")
    before = moss.service.max_position()
    wrong = valid_national_id()[:10] + str((int(valid_national_id()[10]) + 1) % 10)
    _, answer = open_case(pages, **{"person.national_id": wrong, "person.phone": "912 34 567"})
    text = answer.text  # type: ignore[attr-defined]
    assert answer.status_code == 422  # type: ignore[attr-defined]
    assert moss.service.max_position() == before
    assert "Ikke lagret" in text
    assert f'value="{wrong}"' in text and 'value="Karin Åsheim"' in text
    assert 'value="912 34 567"' in text
    assert re.search(r'<option value="families" selected>', text)
    field = text[text.index('id="ny-sak-person-national_id"') :]
    assert 'aria-invalid="true"' in field[: field.index(">")]
    assert 'id="ny-sak-person-national_id-feil"' in text


def test_a_missing_field_is_marked_beside_it_and_nothing_is_stored(
    pages: Pages, moss: Moss
) -> None:
    pages.sign_in("kari")
    before = moss.service.max_position()
    _, answer = open_case(pages, **{"person.name": " "})
    assert answer.status_code == 422  # type: ignore[attr-defined]
    assert 'id="ny-sak-person-name-feil">Fyll ut dette feltet.' in answer.text  # type: ignore[attr-defined]
    assert moss.service.max_position() == before


def test_dates_stop_at_today_but_a_lease_may_run_two_years(pages: Pages, moss: Moss) -> None:
    pages.sign_in("kari")
    ref = case_of(open_case(pages)[1])
    post(pages, ref, "soknad", on="2026-11-01")
    post(pages, ref, "vedtak", on="2026-11-02", decision="approved", priority="high")
    page = pages.client.get(f"/app/saker/{ref}").text
    on = re.search(r'<input id="bosetting-on"[^>]*>', page)
    until = re.search(r'<input id="bosetting-lease_until"[^>]*>', page)
    assert on and f'max="{TODAY}"' in on.group(0)
    assert until and f'max="{TODAY}"' not in until.group(0)
    assert 'data-after="bosetting-on"' in until.group(0)
    answer = post(
        pages, ref, "bosetting", on="2026-11-10", tenure="private_rental", lease_until="2028-11-09"
    )
    assert answer.status_code == 303, answer.text  # type: ignore[attr-defined]
    settled = [i.record for i in moss.service.case_history(ref) if i.record.type == "Settled"]
    assert settled[0].fields["lease_until"] == "2028-11-09"
    refused = post(pages, ref, "fornyelse", on="2026-11-12", lease_until="2026-11-01")
    assert refused.status_code == 422  # type: ignore[attr-defined]
    assert 'value="2026-11-01"' in refused.text  # type: ignore[attr-defined]


def test_forms_follow_the_case_and_name_the_open_complaint_by_date_and_category(
    pages: Pages, moss: Moss
) -> None:
    pages.sign_in("kari")
    ref = case_of(open_case(pages)[1])
    page = pages.client.get(f"/app/saker/{ref}").text
    for absent in ("vedtak", "opphold-slutt", "naboklage-avsluttet", "utflytting", "gjenapne"):
        assert f'/skjema/{absent}"' not in page, absent
    post(pages, ref, "naboklage", on="2026-11-03", category="noise", source="neighbour")
    page = pages.client.get(f"/app/saker/{ref}").text
    select = page[page.index('id="naboklage-avsluttet-complaint"') :]
    select = select[: select.index("</select>")]
    assert "03.11.2026 · Støy (Nabo)" in select
    assert re.search(r'<option value="klage-[0-9a-f]{12}"', select)
    shown = re.sub(r"<[^>]+>", " ", page)  # what a person reads
    assert not re.search(r"(klage|opphold)-[0-9a-f]{12}", shown)
    post(pages, ref, "avslutt", on="2026-11-05", reason="Flyttet")
    page = pages.client.get(f"/app/saker/{ref}").text
    assert "/skjema/gjenapne" in page and '/skjema/oppfolging"' not in page


def test_a_field_user_opens_a_first_contact_for_the_team_and_retracts_only_own_entries(
    pages: Pages, moss: Moss
) -> None:
    pages.sign_in("hanne")
    page, answer = open_case(pages, kind="home_visit", minutes="40")
    assert "Første kontakt" in page
    assert answer.status_code == 303, answer.text  # type: ignore[attr-defined]
    ref = case_of(answer)
    assert "housing_first" in moss.service.get_case(ref).state().teams
    history = moss.service.case_history(ref)
    assert [i.record.type for i in history] == ["CaseOpened", "FollowUpLogged"]
    assert {i.record.by for i in history} == {"hanne"}

    # a case worker's entry on the team's case: not hers to retract
    pages.sign_in("kari")
    post(pages, ref, "bekymring", on="2026-11-20", to="nav")
    theirs = moss.service.case_history(ref)[-1].record.id
    pages.sign_in("hanne")
    page = pages.client.get(f"/app/saker/{ref}").text
    offered = set(re.findall(r'name="target" value="([^"]+)"', page))
    own_follow_up = history[1].record.id
    assert offered == {own_follow_up}
    action = f"/app/saker/{ref}/trekk-tilbake"
    hidden = pages.form_values(page, action)
    before = moss.service.max_position()
    refused = pages.client.post(action, data={**hidden, "target": theirs, "reason": "Feil"})
    assert refused.status_code == 403
    assert "bare trekke tilbake registreringer du selv har gjort" in refused.text
    assert moss.service.max_position() == before
    done = pages.client.post(action, data={**hidden, "target": own_follow_up, "reason": "Feil sak"})
    assert done.status_code == 303
    retracted = {i.record.id: i for i in moss.service.case_history(ref)}[own_follow_up]
    assert retracted.retraction_reason == "Feil sak"


def test_a_field_user_cannot_open_a_case_without_the_teams_first_contact(
    app: FastAPI, moss: Moss
) -> None:
    services = app.state.services
    user = services.users.get("hanne")
    assert user is not None
    opened = {
        "id": "x-open",
        "type": "CaseOpened",
        "case": "S-NY-1",
        "on": TODAY,
        "household": {"adults": 1, "children": 0},
        "group": "other",
        "situation": "rough",
        "person": {"name": "Ny"},
    }
    visit = {"id": "x-visit", "type": "FollowUpLogged", "case": "S-NY-1", "on": TODAY}
    visit |= {"kind": "home_visit", "minutes": 30}
    for events, allowed in (
        ([opened], False),
        ([opened, {**visit, "team": "caretaker"}], False),
        (
            [{**opened, "case": "S-00002"}, {**visit, "case": "S-00002", "team": "housing_first"}],
            False,
        ),
        ([opened, {**visit, "team": "housing_first"}], True),
    ):
        try:
            check_writable(services, user, events)
            outcome = True
        except Forbidden:
            outcome = False
        assert outcome == allowed, events


def test_a_refusal_is_explained_with_its_rule_and_parameters() -> None:
    error = RuleBroken(
        "dwelling B-1 holds S-1",
        rule="dwelling_occupied",
        dwelling="B-1",
        case="S-2",
        other_case="S-1",
        start=date(2024, 3, 1),
        end=date(2024, 9, 1),
    )
    refusal = Refusal(1, "e1", error.message, error.code, error)
    explained = explain(refusal.error, addresses={"B-1": "Fjordveien 14"})  # type: ignore[arg-type]
    assert (explained.code, explained.field) == ("dwelling_occupied", "dwelling")
    assert explained.message == (
        "Boligen i Fjordveien 14 bebos av en annen sak fra 1.3.2024 til 1.9.2024."
    )


def test_the_dwelling_register_registers_and_retires_and_the_pickers_find_by_address(
    pages: Pages, moss: Moss
) -> None:
    assert pages.sign_in("ola").client.get("/app/boligregister").status_code == 403
    pages.sign_in("kari")
    page = pages.client.get("/app/boligregister").text
    assert 'href="/app/boligregister" aria-current="page"' in page
    assert '<option value="ramberg">Ramberg (Jeløy)</option>' in page
    action = "/app/boligregister/registrer-bolig"
    suggested = re.search(r'id="registrer-bolig-dwelling"[^>]*value="(B-\d+)"', page)
    assert suggested
    data = {**pages.form_values(page, action), "dwelling": suggested.group(1), "on": "2026-11-01"}
    data |= {"category": "ordinary_municipal", "district": "ramberg", "rooms": "3"}
    data |= {"address": "Testveien 7"}
    assert pages.client.post(action, data=data).status_code == 303
    again = pages.client.post(action, data={**data, "event_id": "web-other"})
    assert again.status_code == 422 and 'value="Testveien 7"' in again.text

    ref = case_of(open_case(pages)[1])
    page = pages.client.get(f"/app/saker/{ref}").text
    option = re.search(rf'<option value="Testveien 7 \({suggested.group(1)}\)"[^>]*>([^<]*)<', page)
    assert (
        option
        and option.group(1).startswith("Ramberg · ")
        and "ledig 21.11.2026" in option.group(1)
    )
    answer = complaint_at(pages, ref, "testveien 7")
    assert answer.status_code == 303, answer.text  # type: ignore[attr-defined]
    complaint = moss.service.case_history(ref)[-1].record
    assert complaint.dwelling == suggested.group(1)
    bad = complaint_at(pages, ref, "Finnes ikke 1")
    assert bad.status_code == 422 and "Velg en registrert bolig" in bad.text  # type: ignore[attr-defined]

    page = pages.client.get("/app/boligregister").text
    action = "/app/boligregister/avvikle-bolig"
    data = {**pages.form_values(page, action), "dwelling": f"Testveien 7 ({suggested.group(1)})"}
    data |= {"on": "2026-11-10", "reason": "sold"}
    assert pages.client.post(action, data=data).status_code == 303
    retired = moss.service.get_dwelling(suggested.group(1))
    assert retired is not None


def test_the_count_of_a_long_register_is_written_with_thousands_spaced() -> None:
    shown = [{"value": f"B-{n}", "label": f"Gate {n}", "taken": ""} for n in range(1500)]
    page = templates.get_template("_dwelling_list.html").render(
        dwellings=shown, dwellings_total=100_000
    )
    assert "Listen viser 1\u00a0500 av 100\u00a0000 boliger" in page


def test_a_register_longer_than_the_list_offers_the_free_first_and_takes_any_typed(
    pages: Pages, moss: Moss, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pickers, "SUGGESTED", 5)
    monkeypatch.setattr(pickers, "_LAST", {})
    pages.sign_in("kari")
    ref = case_of(open_case(pages)[1])
    page = pages.client.get(f"/app/saker/{ref}").text
    listed = re.search(r'<datalist id="boliger".*?</datalist>', page, re.S)
    assert listed
    options = re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)<', listed.group(0))
    assert len(options) == 5 and all(" ledig " in label for _, label in options)
    assert "Listen viser 5 av " in page and "Skriv adressen eller bolignummeret" in page
    events = [json.loads(line) for line in (SAMPLES / "moss-2023.jsonl").open(encoding="utf-8")]
    retired = {e["dwelling"] for e in events if e["type"] == "DwellingRetired"}
    unlisted = next(
        e["dwelling"]
        for e in events
        if e["type"] == "DwellingRegistered"
        and e["dwelling"] not in retired
        and not any(f"({e['dwelling']})" in value for value, _ in options)
    )
    answer = complaint_at(pages, ref, unlisted)
    assert answer.status_code == 303, answer.text  # type: ignore[attr-defined]
    assert moss.service.case_history(ref)[-1].record.dwelling == unlisted


def test_the_case_workers_other_forms_each_log_their_event(pages: Pages, moss: Moss) -> None:
    pages.sign_in("kari")
    ref = case_of(open_case(pages)[1])
    steps = [
        ("gruppe", {"group": "families_adapted"}, "GroupChanged"),
        ("husstand", {"household.adults": "1", "household.children": "3"}, "HouseholdChanged"),
        ("bosituasjon", {"situation": "temporary"}, "SituationChanged"),
        ("housing-first-start", {}, "HousingFirstEnrolled"),
        ("housing-first-slutt", {"reason": "completed"}, "HousingFirstEnded"),
        ("soknad", {}, "ApplicationReceived"),
        ("trukket", {"reason": "own_solution"}, "Withdrawn"),
        ("avslutt", {"reason": "Ferdig"}, "CaseClosed"),
        ("gjenapne", {}, "CaseReopened"),
    ]
    for slug, fields, kind in steps:
        answer = post(pages, ref, slug, on="2026-11-02", **fields)
        assert answer.status_code == 303, (slug, answer.text)  # type: ignore[attr-defined]
        last = moss.service.case_history(ref)[-1].record
        assert last.type == kind
    changed = [
        i.record for i in moss.service.case_history(ref) if i.record.type == "HouseholdChanged"
    ]
    assert changed[0].fields["household"] == {"adults": 1, "children": 3}
