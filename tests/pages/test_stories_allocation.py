"""The allocation story (issue 13 goal 7) in Debian's Chromium: a three-room municipal dwelling
stands vacant; the allocation page lists it and, for it, the waiting households that fit in
waiting-list order, the family of five on top; the case worker chooses them, the case page opens
with the settlement form filled in, and one tap settles them there.

The story plays out in the first half of 2016, before the Moss sample's first case (July 2016),
and ends there (the family moves out, the dwelling is retired, every story case is closed), so
the sample's figures other browser tests read stay as they were."""

from __future__ import annotations

import json
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.pages.conftest import Moss
from tests.pages.test_in_the_browser import check_phone_layout, phone, sign_in

pytestmark = pytest.mark.browser
__all__ = ["phone"]  # the phone-sized page fixture of the browser tests

DAY = "2016-03-01"
DWELLING = "B-HISTORIE-3R"
FAMILY = "S-HISTORIE-5"  # two adults, three children, urgent: needs three rooms
COUPLE = "S-HISTORIE-2"  # two adults, normal priority: fits three rooms, further down
LARGE = "S-HISTORIE-7"  # two adults, five children: needs four rooms, does not fit
ADAPTED = "S-HISTORIE-A"  # adults_adapted: needs a lifetime_standard dwelling


def _case(ref: str, adults: int, children: int, group: str, priority: str) -> list[dict[str, Any]]:
    person = {"name": f"Historie {ref[-1]}"}
    return [
        {
            "id": f"{ref}-opened",
            "type": "CaseOpened",
            "case": ref,
            "on": "2016-01-05",
            "household": {"adults": adults, "children": children},
            "group": group,
            "situation": "friends_family",
            "person": person,
        },
        {"id": f"{ref}-applied", "type": "ApplicationReceived", "case": ref, "on": "2016-01-05"},
        {
            "id": f"{ref}-approved",
            "type": "ApplicationDecided",
            "case": ref,
            "on": "2016-01-20",
            "decision": "approved",
            "priority": priority,
        },
    ]


def _submit(moss: Moss, events: list[dict[str, Any]]) -> None:
    result = moss.service.submit(
        [(n, json.dumps(e, ensure_ascii=False)) for n, e in enumerate(events, 1)],
        default_by="kari",
    )
    assert result.stored


def test_a_vacant_three_room_dwelling_goes_to_the_family_of_five_on_top_of_the_list(
    phone: Page, live_server: tuple[str, Moss]
) -> None:
    base, moss = live_server
    page = phone
    dwelling = {
        "id": "historie-dwelling",
        "type": "DwellingRegistered",
        "dwelling": DWELLING,
        "on": "2016-01-04",
        "category": "ordinary_municipal",
        "district": "refsnes",
        "rooms": 3,
    }
    _submit(
        moss,
        [
            dwelling,
            *_case(FAMILY, 2, 3, "families", "urgent"),
            *_case(COUPLE, 2, 0, "other", "normal"),
            *_case(LARGE, 2, 5, "families", "urgent"),
            *_case(ADAPTED, 1, 0, "adults_adapted", "urgent"),
        ],
    )

    sign_in(page, base, moss, "kari")
    page.goto(f"{base}/app/tildeling?dato={DAY}")
    row = page.locator(f"tr[data-dwelling='{DWELLING}']")
    expect(row).to_contain_text("Ordinære helkommunale boliger")
    expect(row).to_contain_text("Refsnes")
    check_phone_layout(page, "20-tildeling-ledige-boliger")
    row.get_by_role("link", name=DWELLING).click()

    expect(page.locator("#bolig")).to_contain_text(DWELLING)
    fits = page.locator("#passer tbody tr")
    expect(fits.first).to_have_attribute("data-case", FAMILY)
    expect(fits.first).to_contain_text("2 voksne, 3 barn")
    expect(page.locator(f"#passer tr[data-case='{COUPLE}']")).to_have_count(1)
    for left_out in (LARGE, ADAPTED):
        expect(page.locator(f"#passer tr[data-case='{left_out}']")).to_have_count(0)
    cases = fits.evaluate_all("rows => rows.map(r => r.dataset.case)")
    assert cases.index(FAMILY) < cases.index(COUPLE)
    check_phone_layout(page, "21-tildeling-husstander-som-passer")
    fits.first.get_by_role("link", name="Bosett her").click()

    form = page.locator("#skjema-bosetting")
    expect(page.get_by_role("heading", name=f"Sak {FAMILY}", level=1)).to_be_visible()
    expect(form).to_have_attribute("open", "")
    expect(form.locator("[name=dwelling]")).to_have_value(DWELLING)
    expect(form.locator("[name=on]")).to_have_value(DAY)
    expect(form.locator("[name=tenure]")).to_have_value("municipal_rental")
    form.locator("[name=lease_until]").fill("2019-03-01")
    form.get_by_role("button", name="Lagre").click()
    expect(page.get_by_role("status").first).to_be_visible()

    settled = [e for e in moss.service.export(case=FAMILY) if e["type"] == "Settled"]
    assert [(e["dwelling"], e["on"], e["tenure"]) for e in settled] == [
        (DWELLING, DAY, "municipal_rental")
    ]
    page.goto(f"{base}/app/tildeling?dato=2016-03-02")
    expect(page.locator(f"tr[data-dwelling='{DWELLING}']")).to_have_count(0)

    # the story ends in 2016: nothing of it is left in the figures of later days
    _submit(
        moss,
        [
            {"id": "historie-out", "type": "MovedOut", "case": FAMILY, "on": "2016-05-01",
             "reason": "own_choice"},
            {"id": "historie-retired", "type": "DwellingRetired", "dwelling": DWELLING,
             "on": "2016-05-02", "reason": "sold"},
            *[
                {"id": f"{ref}-closed", "type": "CaseClosed", "case": ref, "on": "2016-05-03",
                 "reason": "historie ferdig"}
                for ref in (FAMILY, COUPLE, LARGE, ADAPTED)
            ],
        ],
    )  # fmt: skip
