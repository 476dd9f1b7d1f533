"""The data-quality page: each check's cases of the Moss sample as of 2023-09-01 with the
contact names, linked to the case pages, scoped to the viewer's cases and logged."""

from __future__ import annotations

import json
import re
from typing import Any

from fastapi import FastAPI

from api.access_log import AccessLog
from projections.labels import label
from tests.conftest import SAMPLES
from tests.pages.conftest import Pages

DAY = "2023-09-01"
CARETAKER_CASE = "S-00002"
NO_TEAM_CASE = "S-00003"


def expected_checks() -> dict[str, list[str]]:
    report: dict[str, Any] = json.loads(
        (SAMPLES / f"moss-2023.data-quality-{DAY}.json").read_text(encoding="utf-8")
    )
    return dict(report["checks"])


def counts(html: str) -> dict[str, int]:
    return {
        check: int(n)
        for check, n in re.findall(
            r'<section class="check" id="([a-z_0-9]+)".*?<span class="count">(\d+)</span>',
            html,
            re.S,
        )
    }


def linked(html: str, check: str) -> list[tuple[str, str]]:
    section = html[html.index(f'<section class="check" id="{check}"') :]
    section = section[: section.index("</section>")]
    return re.findall(
        r'<a href="/app/saker/(S-\d+)">S-\d+</a> <span class="meta">([^<]*)</span>', section
    )


def test_a_case_worker_sees_every_check_with_its_cases_and_their_names(pages: Pages) -> None:
    html = pages.sign_in("kari").client.get(f"/app/datakvalitet?dato={DAY}").text
    expected = expected_checks()
    assert counts(html) == {check: len(refs) for check, refs in expected.items()}
    for check, refs in expected.items():
        assert label(f"check.{check}") in html
        shown = linked(html, check)
        assert [ref for ref, _ in shown] == refs[:10]
        for ref, name in shown:
            assert name == pages.moss.service.case_person(ref)["name"]
    assert "Vis alle 453" in html


def test_one_check_opens_a_page_at_a_time(pages: Pages) -> None:
    client = pages.sign_in("kari").client
    expected = expected_checks()["lease_expired"]
    second = client.get(f"/app/datakvalitet?dato={DAY}&kontroll=lease_expired&side=2").text
    assert [ref for ref, _ in linked(second, "lease_expired")] == expected[50:100]
    assert "Side 2 / 10" in second
    assert client.get("/app/datakvalitet?kontroll=nonsense").status_code == 404


def test_a_field_user_sees_only_their_team_s_cases_and_a_leader_none(
    pages: Pages, app: FastAPI
) -> None:
    html = pages.sign_in("ola").client.get(f"/app/datakvalitet?dato={DAY}").text
    waiting = [ref for ref, _ in linked(html, "waiting_without_contact_365_days")]
    assert CARETAKER_CASE in waiting
    assert NO_TEAM_CASE in expected_checks()["waiting_without_contact_365_days"]
    assert NO_TEAM_CASE not in html
    expected = expected_checks()
    assert all(n <= len(expected[check]) for check, n in counts(html).items())
    assert sum(counts(html).values()) < sum(len(refs) for refs in expected.values())
    leader = Pages(app, pages.moss).sign_in("leif")
    assert leader.client.get("/app/datakvalitet").status_code == 403


def test_every_case_the_page_shows_is_logged(pages: Pages) -> None:
    html = pages.sign_in("ola").client.get(f"/app/datakvalitet?dato={DAY}").text
    shown = {ref for check in expected_checks() for ref, _ in linked(html, check)}
    assert shown
    log = AccessLog(pages.moss.service.sql)
    for ref in shown:
        assert any(
            e.user == "ola" and e.route == "GET /app/datakvalitet" for e in log.entries(ref)
        ), ref
