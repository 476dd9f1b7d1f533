"""The field app in Debian's Chromium at 360×740: the follow-up story across three roles, no
sideways scrolling, and no serious or critical axe-core violation on any page."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, expect

from tests.pages.conftest import PHONE, SCREENSHOTS, Moss
from tests.pages.english import assert_no_english

pytestmark = pytest.mark.browser

SERIOUS = ("serious", "critical")


@pytest.fixture
def phone(chromium: Browser) -> Iterator[Page]:
    context = chromium.new_context(viewport=PHONE, locale="nb-NO")
    page = context.new_page()
    yield page
    context.close()


def shoot(page: Page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"))
    page.screenshot(path=str(SCREENSHOTS / f"{name}-hele-siden.png"), full_page=True)


def sign_in(page: Page, base: str, moss: Moss, name: str) -> None:
    page.goto(f"{base}/app/logg-inn")
    page.get_by_label("Brukernavn").fill(name)
    page.get_by_label("Tilgangsnøkkel").fill(moss.tokens[name])
    page.get_by_role("button", name="Logg inn").click()
    page.wait_for_load_state()


def sign_out(page: Page) -> None:
    page.get_by_role("button", name="Logg ut").click()
    expect(page.get_by_role("heading", name="Logg inn")).to_be_visible()


def check_phone_layout(page: Page, name: str) -> None:
    """Nothing scrolls sideways at 360 px, axe-core finds nothing serious or critical, and the
    page shows no English word or internal code (tests/pages/english.py)."""
    assert_no_english(page.content(), where=name)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{name}: the page is {width}px wide"
    squeezed = page.evaluate(
        "[...document.querySelectorAll('main h1, main h2, caption')]"
        ".filter(e => e.offsetParent && !e.matches('.sr-only')"
        " && e.getBoundingClientRect().width < 150)"
        ".map(e => e.textContent.trim().slice(0, 40))"
    )
    assert not squeezed, f"{name}: squeezed headings {squeezed}"
    results: Any = Axe().run(page)
    bad = [
        f"{v['id']} ({v['impact']}): {v['help']} – {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v.get("impact") in SERIOUS
    ]
    assert not bad, f"{name}: {bad}"
    shoot(page, name)


def test_a_follow_up_logged_in_the_field_is_retracted_at_the_office_and_the_leader_sees_193(
    phone: Page, live_server: tuple[str, Moss]
) -> None:
    base, moss = live_server
    page = phone
    page.goto(f"{base}/app/logg-inn")
    check_phone_layout(page, "01-logg-inn")

    sign_in(page, base, moss, "hanne")
    expect(page.get_by_role("heading", name="Mine saker", level=1)).to_be_visible()
    check_phone_layout(page, "02-mine-saker")

    first_case = page.locator("ul.cases h2 a").first
    ref = first_case.inner_text()
    first_case.click()
    expect(page.get_by_role("heading", name=f"Sak {ref}", level=1)).to_be_visible()
    check_phone_layout(page, "03-sak")

    form = page.locator(f"form[action='/app/saker/{ref}/skjema/oppfolging']")
    event_id = form.locator("input[name=event_id]").input_value()
    form.get_by_label("Type").select_option(label="Hjemmebesøk")
    form.get_by_label("Minutter").fill("45")
    form.get_by_label("Notat (valgfritt)").fill("Besøk i leiligheten, alt i orden")
    form.get_by_role("button", name="Lagre").click()
    expect(page.get_by_role("status").filter(has_text="Lagret.")).to_be_visible()
    entry = page.locator(f"[id='h-{event_id}']")
    expect(entry).to_contain_text("Oppfølging registrert")
    expect(entry).to_contain_text("Hjemmebesøk")
    expect(entry).to_contain_text("45")
    expect(entry).to_contain_text("registrert av hanne")
    check_phone_layout(page, "04-sak-etter-oppfolging")
    sign_out(page)

    sign_in(page, base, moss, "kari")
    page.goto(f"{base}/app/saker/{ref}")
    entry = page.locator(f"[id='h-{event_id}']")
    entry.get_by_text("Trekk tilbake", exact=True).click()
    entry.get_by_label("Hvorfor er registreringen feil?").fill("Registrert på feil sak")
    entry.get_by_role("button", name="Trekk tilbake registreringen").click()
    entry = page.locator(f"[id='h-{event_id}']")
    expect(entry).to_have_class("entry retracted")
    expect(entry).to_contain_text("Begrunnelse: Registrert på feil sak")
    decoration = entry.locator("del").evaluate("e => getComputedStyle(e).textDecorationLine")
    assert decoration == "line-through"
    entry.scroll_into_view_if_needed()
    page.evaluate("window.scrollBy(0, -120)")
    check_phone_layout(page, "05-sak-trukket-tilbake")
    sign_out(page)

    sign_in(page, base, moss, "leif")
    page.goto(f"{base}/app/venteliste")
    page.get_by_label("Per dato").fill("2023-09-01")
    page.get_by_role("button", name="Vis").click()
    expect(page.locator("#total")).to_have_text("193")
    counts = page.locator("#by-group tbody td").all_inner_texts()
    assert counts[:5] == ["53", "19", "42", "47", "32"]
    check_phone_layout(page, "06-venteliste-2023-09-01")


@pytest.mark.parametrize(
    ("name", "path", "shot"),
    [
        ("kari", "/app/mine", "07-saker-saksbehandler"),
        ("kari", "/app/venteliste?dato=2023-09-01", "08-venteliste-saksbehandler"),
        ("leif", "/app/tall?dato=2023-09-01&aar=2023", "09-tall"),
        ("ola", "/app/boliger?dato=2023-09-01&aar=2023", "10-boliger"),
        ("kari", "/app/datakvalitet?dato=2023-09-01", "11-datakvalitet"),
    ],
)
def test_every_page_fits_a_phone_and_passes_axe(
    phone: Page, live_server: tuple[str, Moss], name: str, path: str, shot: str
) -> None:
    base, moss = live_server
    sign_in(phone, base, moss, name)
    phone.goto(f"{base}{path}")
    check_phone_layout(phone, shot)


def test_the_case_workers_case_page_with_every_form_open_passes_axe(
    phone: Page, live_server: tuple[str, Moss]
) -> None:
    base, moss = live_server
    sign_in(phone, base, moss, "kari")
    phone.goto(f"{base}/app/saker/S-00002")
    phone.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
    check_phone_layout(phone, "11-sak-saksbehandler-alle-skjema")


def test_a_field_user_states_why_before_reading_another_teams_case_and_the_admin_sees_it(
    phone: Page, live_server: tuple[str, Moss]
) -> None:
    base, moss = live_server
    page = phone
    ref = "S-00002"  # followed up by the caretakers only; hanne is Housing First
    sign_in(page, base, moss, "hanne")
    page.goto(f"{base}/app/saker/{ref}")
    expect(page.get_by_role("heading", name="Oppgi grunn for innsyn", level=1)).to_be_visible()
    expect(page.get_by_role("heading", name="Tidslinje")).to_have_count(0)
    check_phone_layout(page, "12-oppgi-grunn-for-innsyn")

    page.get_by_label("Grunn for innsyn").fill("Nattevakt ringte, beboer trenger hjelp")
    page.get_by_role("button", name="Vis saken").click()
    expect(page.get_by_role("heading", name=f"Sak {ref}", level=1)).to_be_visible()
    expect(page.get_by_role("heading", name="Tidslinje")).to_be_visible()
    expect(page.locator("#utenfor-team")).to_contain_text("lesingen er logget og merket")
    expect(page.locator(f"form[action^='/app/saker/{ref}/skjema/']")).to_have_count(0)
    check_phone_layout(page, "13-sak-utenfor-teamet")
    sign_out(page)

    sign_in(page, base, moss, "anne")
    page.get_by_role("link", name="Innsynslogg").click()
    page.get_by_label("Bare merkede lesinger").check()
    page.get_by_role("button", name="Vis").click()
    row = page.locator("#innsyn tbody tr").first
    expect(row).to_contain_text("hanne")
    expect(row).to_contain_text(ref)
    expect(row).to_contain_text("Nattevakt ringte, beboer trenger hjelp")
    expect(row).to_contain_text("Ja")
    check_phone_layout(page, "14-innsynslogg-merket")
