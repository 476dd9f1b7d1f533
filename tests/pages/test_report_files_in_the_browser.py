"""The plan page, the figures page and the HTML reports it serves, in Debian's Chromium at
360×740: nothing scrolls sideways, the charts are drawn in colour under the pages' policy (no
blocked style), and axe-core finds nothing serious or critical."""

from __future__ import annotations

import pytest
from playwright.sync_api import ConsoleMessage, Page, expect

from tests.pages.conftest import Moss
from tests.pages.test_in_the_browser import check_phone_layout, phone, sign_in

pytestmark = pytest.mark.browser
__all__ = ["phone"]

PLAN_TARGETS = 10  # Moss's targets: domain/municipalities/moss.toml (the seed's working table)
PAGES = [
    ("leif", "/app/plan", "20-plan", PLAN_TARGETS),
    ("anne", "/app/plan", "21-plan-admin", PLAN_TARGETS),
    ("leif", "/app/tall?dato=2023-09-01&aar=2023", "22-tall-med-diagrammer", 4),
    ("leif", "/app/tall/status.html?dato=2023-09-01", "23-statusrapport-html", 1),
    ("leif", "/app/tall/arsrapport.html?aar=2023", "24-arsrapport-html", 3),
    ("leif", "/app/tall/arsrapport.html?aar=2023&offentlig=1", "25-arsrapport-offentlig", 3),
    ("leif", "/app/plan/boligplan.html", "26-plan-html", PLAN_TARGETS),
]


@pytest.mark.parametrize(("name", "path", "shot", "charts"), PAGES)
def test_the_page_and_its_charts_fit_a_phone_and_pass_axe(
    phone: Page, live_server: tuple[str, Moss], name: str, path: str, shot: str, charts: int
) -> None:
    base, moss = live_server
    blocked: list[str] = []

    def on_console(message: ConsoleMessage) -> None:
        if "Content Security Policy" in message.text or "Refused" in message.text:
            blocked.append(message.text)

    phone.on("console", on_console)
    sign_in(phone, base, moss, name)
    phone.goto(f"{base}{path}")
    sections = phone.locator("section.chart")
    expect(sections).to_have_count(charts)
    expect(phone.locator("figure")).to_have_count(charts)
    for index in range(charts):
        section = sections.nth(index)
        figure = section.locator("figure")
        svg = figure.locator("svg[role=img]")
        title = svg.locator("title").text_content()
        assert title and title == section.locator("h2").text_content()
        expect(svg).to_have_accessible_name(title)
        expect(figure).to_have_accessible_name(title)
        expect(figure.locator("figcaption")).to_be_visible()
        assert figure.locator("details table").count() == 1
        width = svg.evaluate("e => e.getBoundingClientRect().width")
        assert 200 < width <= 360
    coloured = phone.evaluate(
        "[...document.querySelectorAll('figure svg path')]"
        ".some(p => [getComputedStyle(p).fill, getComputedStyle(p).stroke]"
        ".includes('rgb(31, 90, 150)'))"
    )
    assert coloured, "the charts lost their colours (a blocked style?)"
    assert not blocked, blocked
    check_phone_layout(phone, shot)
