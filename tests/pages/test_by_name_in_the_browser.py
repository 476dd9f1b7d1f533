"""The by-name list in Debian's Chromium at 360×740: a case worker opens a month's count on the
figures page and gets the cases behind it; both pages fit a phone and pass axe-core."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.pages.conftest import Moss
from tests.pages.test_in_the_browser import check_phone_layout, phone, sign_in

pytestmark = pytest.mark.browser
__all__ = ["phone"]


def test_a_case_worker_opens_the_cases_behind_a_months_active_count(
    phone: Page, live_server: tuple[str, Moss]
) -> None:
    base, moss = live_server
    sign_in(phone, base, moss, "kari")
    phone.goto(f"{base}/app/tall?dato=2023-09-01&aar=2023")
    check_phone_layout(phone, "20-tall-by-name-liste")
    link = phone.locator('#by-name a[href$="/2023-06/active"]')
    count = link.inner_text()

    link.click()

    expect(phone.get_by_role("heading", level=1)).to_contain_text("juni 2023")
    expect(phone.locator("p .count").first).to_have_text(count)
    assert phone.locator("ul.cases li").count() == min(int(count), 50)
    check_phone_layout(phone, "21-by-name-saker-juni-2023")
