"""Story (d) of issue 12 in Debian's Chromium at 360×740: the admin restricts a case, the case
worker is then refused in Norwegian, the admin lifts the restriction (having looked at what an
erasure would destroy, and cancelled), and the case worker reads the case again, the
restriction and its lifting in its timeline. Every page: no sideways scroll, nothing serious or
critical for axe-core, no English word in the visible text; screenshots of each step."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.pages.conftest import Moss
from tests.pages.test_in_the_browser import check_phone_layout, phone, sign_in, sign_out

pytestmark = pytest.mark.browser
__all__ = ["phone"]  # the phone fixture, reused

CASE = "S-00030"


def step(page: Page, name: str) -> None:
    check_phone_layout(page, name)  # with the check for English words


def test_the_admin_restricts_a_case_the_case_worker_is_refused_then_the_admin_lifts_it(
    phone: Page, live_server: tuple[str, Moss]
) -> None:
    base, moss = live_server
    page = phone
    sign_in(page, base, moss, "anne")
    page.goto(f"{base}/app/saker/{CASE}")
    expect(page.get_by_role("heading", name="Status i dag")).to_be_visible()
    step(page, "d-01-admin-sak")

    page.get_by_label("Grunn for sperringen").fill("Søker er ansatt i boligtjenesten")
    page.get_by_role("button", name="Sperr saken").click()
    expect(page.get_by_role("status").filter(has_text="Saken er sperret.")).to_be_visible()
    expect(page.locator("#sperret")).to_contain_text("bare administratorer")
    entry = page.locator("[id='h-sperring-1']")
    expect(entry).to_contain_text("Saken sperret")
    expect(entry).to_contain_text("Søker er ansatt i boligtjenesten")
    expect(entry).to_contain_text("registrert av anne")
    step(page, "d-02-admin-sak-sperret")
    sign_out(page)

    sign_in(page, base, moss, "kari")
    answer = page.goto(f"{base}/app/saker/{CASE}")
    assert answer is not None and answer.status == 403
    expect(page.get_by_text("Saken er sperret. Bare administratorer kan lese")).to_be_visible()
    expect(page.get_by_role("heading", name="Tidslinje")).to_have_count(0)
    assert "Søker er ansatt" not in page.content()
    step(page, "d-03-saksbehandler-avvist")
    page.goto(f"{base}/app/mine")
    expect(page.locator(f"a[href='/app/saker/{CASE}']")).to_have_count(0)
    sign_out(page)

    sign_in(page, base, moss, "anne")
    page.goto(f"{base}/app/saker/{CASE}")
    page.get_by_role("link", name="Slett personopplysningene i saken").click()
    expect(page.get_by_role("heading", name="Dette slettes for godt")).to_be_visible()
    expect(page.locator("#tapte-felt")).to_contain_text("navnet")
    expect(page.get_by_text("Slettingen kan ikke angres.")).to_be_visible()
    step(page, "d-04-admin-slette-bekreftelse")
    page.get_by_role("link", name="Avbryt og gå tilbake til saken").click()
    expect(page.get_by_role("heading", name=f"Sak {CASE}", level=1)).to_be_visible()
    assert moss.service.keys.erased(f"case:{CASE}") is None

    page.get_by_label("Grunn for å oppheve sperringen").fill("Ansettelsen er avsluttet")
    page.get_by_role("button", name="Opphev sperringen").click()
    expect(page.get_by_role("status").filter(has_text="Sperringen er opphevet.")).to_be_visible()
    expect(page.locator("[id='h-sperring-2']")).to_contain_text("Sperringen opphevet")
    step(page, "d-05-admin-sperring-opphevet")
    sign_out(page)

    sign_in(page, base, moss, "kari")
    page.goto(f"{base}/app/saker/{CASE}")
    expect(page.get_by_role("heading", name=f"Sak {CASE}", level=1)).to_be_visible()
    expect(page.get_by_role("heading", name="Status i dag")).to_be_visible()
    expect(page.locator("[id='h-sperring-1']")).to_contain_text("Saken sperret")
    expect(page.locator("[id='h-sperring-2']")).to_contain_text("Sperringen opphevet")
    assert "Ansettelsen er avsluttet" not in page.content()
    expect(page.get_by_role("button", name="Sperr saken")).to_have_count(0)
    step(page, "d-06-saksbehandler-leser-igjen")
    assert not moss.service.is_restricted(CASE)
