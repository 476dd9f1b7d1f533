"""The users page in Debian's Chromium at 360×740: an admin adds a field worker, who signs in
with the token shown once; the admin deactivates them and their next page is the login page.
The page fits a phone and axe-core finds nothing serious or critical."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, expect

from tests.pages.conftest import PHONE, Moss
from tests.pages.test_in_the_browser import check_phone_layout, sign_in

pytestmark = pytest.mark.browser


def test_an_admin_adds_a_user_who_signs_in_and_is_signed_out_by_a_deactivation(
    chromium: Browser, live_server: tuple[str, Moss]
) -> None:
    base, moss = live_server
    admin_context = chromium.new_context(viewport=PHONE, locale="nb-NO")
    user_context = chromium.new_context(viewport=PHONE, locale="nb-NO")
    admin, user = admin_context.new_page(), user_context.new_page()
    try:
        sign_in(admin, base, moss, "anne")
        admin.get_by_role("link", name="Brukere").click()
        check_phone_layout(admin, "20-brukere-admin")
        admin.get_by_label("Brukernavn").fill("tove")
        admin.locator("#ny-rolle").select_option("field")
        admin.locator("#ny-team").select_option("caretaker")
        admin.get_by_role("button", name="Legg til bruker").click()
        shown = admin.locator("#ny-nokkel code")
        expect(shown).to_be_visible()
        moss.tokens["tove"] = shown.inner_text().strip()

        sign_in(user, base, moss, "tove")
        expect(user.get_by_role("heading", name="Mine saker")).to_be_visible()

        admin.goto(f"{base}/app/brukere")
        admin.locator("#bruker-tove").get_by_role("button", name="Deaktiver").click()
        expect(admin.locator("#bruker-tove")).to_contain_text("Deaktivert")
        expect(admin.locator("#endringer")).to_contain_text("tove")

        user.goto(f"{base}/app/mine")
        expect(user.get_by_role("heading", name="Logg inn")).to_be_visible()
    finally:
        admin_context.close()
        user_context.close()
