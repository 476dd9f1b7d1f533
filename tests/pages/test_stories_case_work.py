"""Issue 12's stories (7a, 7b, 7c) in Debian's Chromium: a Housing First worker on a phone, a
caretaker, and a case worker at a desk do a case's work from the pages alone. Every page on the
way fits 360 px without sideways scrolling and axe-core finds nothing serious or critical
(`check_phone_layout`, which saves the screenshots under test-artifacts/)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Locator, Page, expect

from api.pages.texts import code
from tests.pages.conftest import PHONE, Moss
from tests.pages.test_case_forms import valid_national_id
from tests.pages.test_in_the_browser import check_phone_layout, shoot, sign_in

pytestmark = pytest.mark.browser

DESK = {"width": 1366, "height": 800}
CARETAKER_CASE = "S-00002"  # followed up by the caretakers in the Moss sample


@pytest.fixture
def browser_page(chromium: Browser, request: pytest.FixtureRequest) -> Iterator[Page]:
    context = chromium.new_context(viewport=request.param, locale="nb-NO")
    page = context.new_page()
    yield page
    context.close()


def form_of(page: Page, slug: str) -> Locator:
    """The case page's form `slug`, its section opened."""
    details = page.locator(f"#skjema-{slug}")
    if details.get_attribute("open") is None:
        details.locator("summary").click()
    return details.locator("form")


def saved(page: Page) -> None:
    expect(page.get_by_role("status").filter(has_text="Lagret.")).to_be_visible()


def at_360(page: Page, name: str) -> None:
    """The desk page checked at 360 px too, then back at the desk."""
    shoot(page, f"{name}-skrivebord")
    page.set_viewport_size(PHONE)
    check_phone_layout(page, name)
    page.set_viewport_size(DESK)


@pytest.mark.parametrize("browser_page", [PHONE], indirect=True)
def test_a_housing_first_worker_opens_a_first_contact_logs_a_visit_and_a_concern_and_retracts_it(
    browser_page: Page, live_server: tuple[str, Moss]
) -> None:
    base, moss = live_server
    page = browser_page
    sign_in(page, base, moss, "hanne")
    page.get_by_role("link", name="Ny sak").click()
    expect(page.get_by_role("heading", name="Ny sak", level=1)).to_be_visible()
    check_phone_layout(page, "a-01-ny-sak")

    form = page.locator("form[action='/app/ny-sak']")
    form.get_by_label("Voksne i husstanden").fill("1")
    form.get_by_label("Barn i husstanden").fill("0")
    form.get_by_label("Gruppe").select_option(label=code("group", "mental_health_substance"))
    form.get_by_label("Bosituasjon").select_option(label=code("situation", "rough"))
    form.get_by_label("Navn på kontaktperson").fill("Per Hansen")
    form.get_by_label("Type").select_option(label=code("follow_up_kind", "phone"))
    form.get_by_label("Minutter").fill("20")
    form.get_by_role("button", name="Åpne saken").click()
    saved(page)
    heading = page.get_by_role("heading", level=1).inner_text()
    ref = heading.removeprefix("Sak ").strip()
    assert "housing_first" in moss.service.get_case(ref).state().teams
    check_phone_layout(page, "a-02-sak-opnet")

    visit = form_of(page, "oppfolging")
    visit.get_by_label("Type").select_option(label=code("follow_up_kind", "home_visit"))
    visit.get_by_label("Minutter").fill("60")
    visit.get_by_role("button", name="Lagre").click()
    saved(page)
    concern = form_of(page, "bekymring")
    concern.get_by_label("Sendt til").select_option(label=code("concern_recipient", "nav"))
    concern.get_by_role("button", name="Lagre").click()
    saved(page)
    check_phone_layout(page, "a-03-besok-og-bekymring")

    mistaken = moss.service.case_history(ref)[-1].record
    assert mistaken.type == "ConcernReported" and mistaken.by == "hanne"
    entry = page.locator(f"[id='h-{mistaken.id}']")
    entry.get_by_text("Trekk tilbake", exact=True).click()
    entry.get_by_label("Hvorfor er registreringen feil?").fill("Sendt til feil instans")
    entry.get_by_role("button", name="Trekk tilbake registreringen").click()
    entry = page.locator(f"[id='h-{mistaken.id}']")
    expect(entry).to_have_class("entry retracted")
    expect(entry).to_contain_text("Begrunnelse: Sendt til feil instans")
    history = {i.record.id: i for i in moss.service.case_history(ref)}
    assert history[mistaken.id].retraction_reason == "Sendt til feil instans"
    entry.scroll_into_view_if_needed()
    check_phone_layout(page, "a-04-trukket-tilbake")


@pytest.mark.parametrize("browser_page", [PHONE], indirect=True)
def test_a_caretaker_logs_a_complaint_at_a_dwelling_picked_by_address_and_closes_it(
    browser_page: Page, live_server: tuple[str, Moss]
) -> None:
    base, moss = live_server
    moss.service.submit(
        [
            (
                1,
                {
                    "id": "story-b-bolig",
                    "type": "DwellingRegistered",
                    "dwelling": "B-9101",
                    "on": "2020-01-06",
                    "category": "ordinary_co_owned",
                    "district": "refsnes",
                    "rooms": 2,
                    "address": "Havnegata 3",
                },
            )
        ],
        default_by="kari",
    )
    page = browser_page
    sign_in(page, base, moss, "ola")
    page.goto(f"{base}/app/saker/{CARETAKER_CASE}")
    complaint = form_of(page, "naboklage")
    complaint.get_by_label("Type klage").select_option(label=code("complaint_category", "noise"))
    complaint.get_by_label("Fra").select_option(label=code("complaint_source", "neighbour"))
    complaint.get_by_label("Bolig (adresse eller bolignummer)").fill("Havnegata 3")
    option = page.locator("#boliger option[value='Havnegata 3 (B-9101)']")
    assert "Refsnes" in (option.get_attribute("label") or option.inner_text())
    check_phone_layout(page, "b-01-naboklage")
    complaint.get_by_role("button", name="Lagre").click()
    saved(page)
    received = moss.service.case_history(CARETAKER_CASE)[-1].record
    assert received.type == "ComplaintReceived" and received.dwelling == "B-9101"

    closing = form_of(page, "naboklage-avsluttet")
    day = received.on.strftime("%d.%m.%Y")
    label = (
        f"{day} · {code('complaint_category', 'noise')} ({code('complaint_source', 'neighbour')})"
    )
    picker = closing.get_by_label("Klage")
    expect(picker.locator("option", has_text=label).first).to_be_attached()
    value = received.fields["complaint"]
    picker.select_option(value=value)
    closing.get_by_label("Utfall").select_option(label=code("complaint_outcome", "resolved"))
    check_phone_layout(page, "b-02-avslutt-naboklage")
    closing.get_by_role("button", name="Lagre").click()
    saved(page)
    assert not moss.service.get_case(CARETAKER_CASE).state().complaints[value]
    expect(page.locator(f"option[value='{value}']")).to_have_count(0)
    check_phone_layout(page, "b-03-naboklage-avsluttet")


@pytest.mark.parametrize("browser_page", [DESK], indirect=True)
def test_a_case_worker_takes_a_family_from_intake_to_closing(
    browser_page: Page, live_server: tuple[str, Moss]
) -> None:
    base, moss = live_server
    occupied = [
        {
            "id": "story-c-opptatt-bolig",
            "type": "DwellingRegistered",
            "dwelling": "B-9201",
            "on": "2020-01-06",
            "category": "ordinary_municipal",
            "district": "ramberg",
            "rooms": 4,
            "address": "Fjordveien 14",
        },
        {
            "id": "story-c-nabo-sak",
            "type": "CaseOpened",
            "case": "S-STORY-C",
            "on": "2025-12-01",
            "household": {"adults": 1, "children": 0},
            "group": "other",
            "situation": "friends_family",
            "person": {"name": "Nabo Naboesen"},
        },
        {
            "id": "story-c-nabo-bosatt",
            "type": "Settled",
            "case": "S-STORY-C",
            "on": "2026-01-01",
            "tenure": "municipal_rental",
            "dwelling": "B-9201",
        },
    ]
    moss.service.submit(list(enumerate(occupied, start=1)), default_by="kari")
    page = browser_page
    sign_in(page, base, moss, "kari")

    page.get_by_role("link", name="Boligregister").click()
    register = page.locator("form[action='/app/boligregister/registrer-bolig']")
    dwelling_ref = register.get_by_label("Bolignummer").input_value()
    register.get_by_label("Dato").fill("2026-01-02")
    register.get_by_label("Boligtype").select_option(label=code("category", "ordinary_municipal"))
    register.get_by_label("Skolekrets").select_option(value="ramberg")
    register.get_by_label("Antall rom").fill("4")
    register.get_by_label("Adresse (valgfritt)").fill("Fjordveien 12")
    at_360(page, "c-01-boligregister")
    register.get_by_role("button", name="Lagre").click()
    saved(page)
    assert moss.service.get_dwelling(dwelling_ref) is not None

    page.get_by_role("link", name="Ny sak").click()
    form = page.locator("form[action='/app/ny-sak']")
    form.get_by_label("Dato").fill("2026-01-05")
    form.get_by_label("Voksne i husstanden").fill("2")
    form.get_by_label("Barn i husstanden").fill("2")
    form.get_by_label("Gruppe").select_option(label=code("group", "families"))
    form.get_by_label("Bosituasjon").select_option(label=code("situation", "friends_family"))
    form.get_by_label("Navn på kontaktperson").fill("Nora Berg")
    national_id = valid_national_id("150585")
    id_input = form.get_by_label("Fødselsnummer eller D-nummer (valgfritt)")
    wrong = national_id[:10] + str((int(national_id[10]) + 1) % 10)
    id_input.fill(wrong)  # the browser checks the control digits before anything is sent
    assert not id_input.evaluate("e => e.checkValidity()")
    id_input.fill(national_id[:6] + " " + national_id[6:])
    assert id_input.evaluate("e => e.checkValidity()")
    form.get_by_label("Telefon (valgfritt)").fill("912 34 567")
    at_360(page, "c-02-ny-sak")
    form.get_by_role("button", name="Åpne saken").click()
    saved(page)
    ref = page.get_by_role("heading", level=1).inner_text().removeprefix("Sak ").strip()
    assert moss.service.case_person(ref)["national_id"] == national_id
    # The summary at the top of the case page says where the household stands, step by step.
    standing = page.locator("#status")
    expect(standing.locator("#status-sak")).to_have_text("Åpen")
    expect(standing.locator("#status-ingenting")).to_be_visible()

    def log(slug: str, on: str, **choices: str) -> Locator:
        form = form_of(page, slug)
        form.get_by_label("Dato").fill(on)
        for label, value in choices.items():
            field = form.get_by_label(label.replace("_", " "), exact=True)
            if field.evaluate("e => e.tagName") == "SELECT":
                field.select_option(label=value)
            else:
                field.fill(value)
        return form

    log("soknad", "2026-01-05").get_by_role("button", name="Lagre").click()
    saved(page)
    expect(standing.locator("#status-soknad")).to_contain_text("05.01.2026")
    decision = log(
        "vedtak",
        "2026-02-01",
        Vedtak=code("decision", "approved"),
        Prioritet=code("priority", "high"),
    )
    decision.get_by_role("button", name="Lagre").click()
    saved(page)
    expect(standing.locator("#status-soknad")).to_have_count(0)
    expect(standing.locator("#status-venteliste")).to_contain_text("01.02.2026")
    expect(standing.locator("#status-venteliste")).to_contain_text(code("priority", "high").lower())
    log("opphold-start", "2026-02-03", Type=code("stay_kind", "hotel")).get_by_role(
        "button", name="Lagre"
    ).click()
    saved(page)
    expect(standing.locator("#status-opphold")).to_contain_text(code("stay_kind", "hotel"))
    expect(standing.locator("#status-opphold")).to_contain_text("03.02.2026")
    at_360(page, "c-03-pa-hotell")

    settle = log(
        "bosetting",
        "2026-03-01",
        Disposisjonsform=code("tenure", "municipal_rental"),
    )
    settle.get_by_label("Bolig (adresse eller bolignummer)").fill("Fjordveien 14")
    # The picker names each dwelling's district and whether it is free on the chosen day.
    taken = page.locator("#boliger option[value='Fjordveien 14 (B-9201)']")
    free = page.locator(f"#boliger option[value='Fjordveien 12 ({dwelling_ref})']")
    expect(taken).to_have_text(
        "Ramberg · Ordinære helkommunale boliger · 4 rom · bebodd 01.03.2026"
    )
    expect(free).to_have_text("Ramberg · Ordinære helkommunale boliger · 4 rom · ledig 01.03.2026")
    settle.get_by_label("Leiekontrakt til (valgfritt)").fill("2028-02-29")
    before = moss.service.max_position()
    settle.get_by_role("button", name="Lagre").click()
    refused = page.locator("#skjema-bosetting")
    expect(refused.get_by_role("alert")).to_contain_text("Ikke lagret")
    expect(refused.get_by_label("Bolig (adresse eller bolignummer)")).to_have_value("Fjordveien 14")
    expect(refused.get_by_label("Leiekontrakt til (valgfritt)")).to_have_value("2028-02-29")
    expect(refused.get_by_label("Dato")).to_have_value("2026-03-01")
    assert refused.get_by_label("Disposisjonsform").input_value() == "municipal_rental"
    assert moss.service.max_position() == before
    # The message names the conflicting fact in plain words: the dwelling by its address.
    expect(refused).to_contain_text("Boligen i Fjordveien 14 bebos av en annen sak")
    expect(refused).not_to_contain_text("B-9201 holds")
    at_360(page, "c-04-bosetting-avvist")

    refused.get_by_label("Bolig (adresse eller bolignummer)").fill("Fjordveien 12")
    refused.get_by_role("button", name="Lagre").click()
    saved(page)
    now = moss.service.get_case(ref).state()
    assert now.settled is not None and now.settled.dwelling == dwelling_ref
    assert now.open_stay is None
    expect(standing.locator("#status-opphold")).to_have_count(0)
    expect(standing.locator("#status-venteliste")).to_have_count(0)
    expect(standing.locator("#status-bosatt")).to_contain_text("Fjordveien 12")
    expect(standing.locator("#status-bosatt")).to_contain_text("29.02.2028")
    at_360(page, "c-05-bosatt")

    renew = log("fornyelse", "2026-09-01")
    renew.get_by_label("Ny leiekontrakt til").fill("2029-02-28")
    renew.get_by_role("button", name="Lagre").click()
    saved(page)
    expect(standing.locator("#status-bosatt")).to_contain_text("28.02.2029")
    moved = log("utflytting", "2026-11-01", Årsak=code("move_out_reason", "lease_ended"))
    moved.get_by_role("button", name="Lagre").click()
    saved(page)
    expect(standing.locator("#status-bosatt")).to_have_count(0)
    closing = log("avslutt", "2026-11-20")
    closing.get_by_label("Begrunnelse").fill("Familien har funnet egen bolig")
    closing.get_by_role("button", name="Lagre").click()
    saved(page)
    assert moss.service.get_case(ref).state().closed
    expect(standing.locator("#status-sak")).to_have_text("Avsluttet")
    expect(page.locator("#skjema-gjenapne")).to_be_attached()
    expect(page.locator("#skjema-oppfolging")).to_have_count(0)
    kinds = [i.record.type for i in moss.service.case_history(ref)]
    assert kinds == [
        "CaseOpened",
        "ApplicationReceived",
        "ApplicationDecided",
        "TemporaryStayStarted",
        "Settled",
        "LeaseRenewed",
        "MovedOut",
        "CaseClosed",
    ]
    at_360(page, "c-06-sak-avsluttet")
