"""The case pages: a team sees its own cases, forms log events once, retractions strike
through, every read is logged, and a form without the session's CSRF token changes nothing."""

from __future__ import annotations

import re

from fastapi import FastAPI

from api.access_log import AccessLog
from tests.pages.conftest import Moss, Pages

HOUSING_FIRST_CASE = "S-00115"  # followed up by Housing First in the Moss sample
CARETAKER_CASE = "S-00002"  # followed up by the caretakers only
CASE_WITH_STAY = "S-00004"


def events_of(moss: Moss, ref: str) -> list[dict[str, object]]:
    return list(moss.service.export(case=ref))


def follow_up(pages: Pages, ref: str, **fields: str) -> tuple[dict[str, str], object]:
    page = pages.client.get(f"/app/saker/{ref}")
    assert page.status_code == 200, page.text
    action = f"/app/saker/{ref}/skjema/oppfolging"
    data = {**pages.form_values(page.text, action), "on": "2026-11-20", "kind": "phone"}
    data.update(minutes="15", **fields)
    return data, pages.client.post(action, data=data)


def test_mine_lists_only_the_teams_open_cases_with_latest_follow_up(pages: Pages) -> None:
    page = pages.sign_in("hanne").client.get("/app/mine").text
    assert "Team: Housing First" in page
    assert f'href="/app/saker/{HOUSING_FIRST_CASE}"' in page
    assert f'href="/app/saker/{CARETAKER_CASE}"' not in page
    assert "Siste oppfølging" in page


def test_a_field_user_opens_another_teams_case_only_after_stating_why(
    pages: Pages, app: FastAPI, moss: Moss
) -> None:
    path = f"/app/saker/{CARETAKER_CASE}"
    asked = pages.sign_in("hanne").client.get(path)
    assert asked.status_code == 200
    assert "<h1>Oppgi grunn for innsyn</h1>" in asked.text and "Tidslinje" not in asked.text
    data = {**pages.form_values(asked.text, f"{path}/innsyn"), "grunn": "Nattevakt ba om hjelp"}

    stated = pages.client.post(f"{path}/innsyn", data=data)
    shown = pages.client.get(path)
    follow_up = {"event_id": "hanne-utenfor-1", "on": "2026-11-20", "kind": "phone"}
    write = pages.client.post(
        f"{path}/skjema/oppfolging", data={**data, **follow_up, "minutes": "5"}
    )

    assert stated.status_code == 303
    assert shown.status_code == 200 and "Tidslinje" in shown.text
    assert "Saken hører ikke til teamet ditt. Du kan lese den" in shown.text
    assert write.status_code == 403
    entry = AccessLog(moss.service.sql).entries(limit=1)[0]
    assert (entry.user, entry.case, entry.reason, entry.flagged) == (
        "hanne",
        CARETAKER_CASE,
        "Nattevakt ba om hjelp",
        True,
    )
    admin = Pages(app, moss).sign_in("anne").client.get("/app/innsynslogg?merket=1")
    assert admin.status_code == 200
    assert "Nattevakt ba om hjelp" in admin.text and f">{CARETAKER_CASE}</a>" in admin.text
    assert Pages(app, moss).sign_in("hanne").client.get("/app/innsynslogg").status_code == 403


def test_a_leader_reads_no_case_and_an_unknown_case_is_not_found(pages: Pages) -> None:
    assert pages.sign_in("leif").client.get(f"/app/saker/{CARETAKER_CASE}").status_code == 403
    pages.sign_in("kari")
    answer = pages.client.get("/app/saker/S-NOPE")
    assert answer.status_code == 404
    assert "Saken finnes ikke." in answer.text


def test_every_read_of_a_case_page_is_in_the_access_log(pages: Pages, moss: Moss) -> None:
    log = AccessLog(moss.service.sql)
    before = len(log.entries(case=CARETAKER_CASE))
    pages.sign_in("kari").client.get(f"/app/saker/{CARETAKER_CASE}")
    entries = log.entries(case=CARETAKER_CASE)
    assert len(entries) == before + 1
    assert entries[0].user == "kari"
    assert entries[0].route == "GET /app/saker/{ref}"


def test_a_follow_up_from_the_form_is_stored_with_the_team_and_shown(
    pages: Pages, moss: Moss
) -> None:
    pages.sign_in("hanne")
    data, answer = follow_up(pages, HOUSING_FIRST_CASE, note="Ringte om NAV-møtet")
    assert answer.status_code == 303  # type: ignore[attr-defined]
    stored = [e for e in events_of(moss, HOUSING_FIRST_CASE) if e["id"] == data["event_id"]]
    assert stored == [
        {
            "id": data["event_id"],
            "type": "FollowUpLogged",
            "case": HOUSING_FIRST_CASE,
            "on": "2026-11-20",
            "by": "hanne",
            "note": "Ringte om NAV-møtet",
            "team": "housing_first",
            "kind": "phone",
            "minutes": 15,
        }
    ]
    page = pages.client.get(f"/app/saker/{HOUSING_FIRST_CASE}?lagret=ny").text
    assert "Lagret." in page
    assert f'id="h-{data["event_id"]}"' in page
    assert "Ringte om NAV-møtet" in page


def test_sending_the_same_form_again_stores_nothing_twice(pages: Pages, moss: Moss) -> None:
    pages.sign_in("hanne")
    data, _ = follow_up(pages, HOUSING_FIRST_CASE)
    count = len(events_of(moss, HOUSING_FIRST_CASE))
    again = pages.client.post(f"/app/saker/{HOUSING_FIRST_CASE}/skjema/oppfolging", data=data)
    assert again.status_code == 303
    assert again.headers["location"].endswith("lagret=allerede#tidslinje")
    assert len(events_of(moss, HOUSING_FIRST_CASE)) == count


def test_a_form_without_the_sessions_csrf_token_changes_nothing(pages: Pages, moss: Moss) -> None:
    pages.sign_in("hanne")
    before = moss.service.max_position()
    for token in ("", "forged"):
        page = pages.client.get(f"/app/saker/{HOUSING_FIRST_CASE}").text
        action = f"/app/saker/{HOUSING_FIRST_CASE}/skjema/oppfolging"
        data = {**pages.form_values(page, action), "csrf": token}
        data.update(on="2026-11-20", kind="phone", minutes="5")
        answer = pages.client.post(action, data=data)
        assert answer.status_code == 403
        assert "Ingenting ble lagret" in answer.text
    assert moss.service.max_position() == before


def test_a_field_user_gets_no_case_worker_forms_and_cannot_post_them(
    pages: Pages, moss: Moss
) -> None:
    pages.sign_in("hanne")
    page = pages.client.get(f"/app/saker/{HOUSING_FIRST_CASE}").text
    assert "/skjema/vedtak" not in page
    # Retraction forms only for what she logged herself (issue 12, goal 5).
    own = {
        i.record.id for i in moss.service.case_history(HOUSING_FIRST_CASE) if i.record.by == "hanne"
    }
    offered = set(re.findall(r'name="target" value="([^"]+)"', page))
    assert offered <= own
    data = pages.form_values(page, f"/app/saker/{HOUSING_FIRST_CASE}/skjema/oppfolging")
    before = moss.service.max_position()
    answer = pages.client.post(
        f"/app/saker/{HOUSING_FIRST_CASE}/skjema/vedtak",
        data={**data, "on": "2026-11-20", "decision": "rejected"},
    )
    assert answer.status_code == 403
    assert moss.service.max_position() == before


def test_a_case_worker_gets_the_office_forms_the_case_allows_now(pages: Pages, moss: Moss) -> None:
    page = pages.sign_in("kari").client.get(f"/app/saker/{CARETAKER_CASE}").text
    now = moss.service.get_case(CARETAKER_CASE).state()
    assert "/skjema/oppfolging" in page and "/skjema/gruppe" in page
    assert ("/skjema/vedtak" in page) == now.application_pending
    assert ("/skjema/klagevedtak" in page) == now.appeal_pending
    free = not (now.application_pending or now.appeal_pending or now.waiting)
    assert ("/skjema/soknad" in page) == free
    assert ("/skjema/bosetting" in page) == (now.settled is None)
    assert ("/skjema/utflytting" in page) == (now.settled is not None)
    assert ("/skjema/gjenapne" in page) == now.closed


def test_a_refused_event_shows_why_in_norwegian_and_stores_nothing(
    pages: Pages, moss: Moss
) -> None:
    pages.sign_in("kari")
    page = pages.client.get(f"/app/saker/{CARETAKER_CASE}").text
    action = f"/app/saker/{CARETAKER_CASE}/skjema/klagevedtak"
    # No appeal is pending, so the page offers no appeal decision; one sent anyway is refused.
    assert action not in page
    hidden = pages.form_values(page, f"/app/saker/{CARETAKER_CASE}/skjema/oppfolging")
    before = moss.service.max_position()
    answer = pages.client.post(
        action,
        data={**hidden, "on": "2026-11-20", "outcome": "upheld"},
    )
    assert answer.status_code == 422
    assert "Ikke lagret" in answer.text
    assert "Saken har ingen klage som venter på avgjørelse." in answer.text
    assert "Ingenting ble lagret." in answer.text
    assert "no appeal is pending" not in answer.text
    assert moss.service.max_position() == before


def test_a_case_worker_retracts_a_wrong_entry_with_a_reason_and_it_is_struck_through(
    pages: Pages, moss: Moss
) -> None:
    pages.sign_in("hanne")
    data, _ = follow_up(pages, HOUSING_FIRST_CASE)
    target = data["event_id"]
    pages.sign_in("kari")
    page = pages.client.get(f"/app/saker/{HOUSING_FIRST_CASE}").text
    action = f"/app/saker/{HOUSING_FIRST_CASE}/trekk-tilbake"
    start = page.index(f'id="h-{target}"')
    hidden = pages.form_values(page[start:], action)
    assert hidden["target"] == target
    answer = pages.client.post(action, data={**hidden, "reason": "Feil sak"})
    assert answer.status_code == 303
    page = pages.client.get(f"/app/saker/{HOUSING_FIRST_CASE}").text
    entry = page[page.index(f'id="h-{target}"') :]
    entry = entry[: entry.index("\n  </li>")]
    assert 'class="entry retracted"' in page[page.index(f'id="h-{target}"') - 40 :][:80]
    assert "<del>" in entry
    assert "Begrunnelse: Feil sak" in entry
    assert "Trukket tilbake" in entry
    history = {i.record.id: i for i in moss.service.case_history(HOUSING_FIRST_CASE)}
    assert history[target].retraction_reason == "Feil sak"


def test_a_retraction_without_a_reason_is_refused(pages: Pages, moss: Moss) -> None:
    pages.sign_in("kari")
    page = pages.client.get(f"/app/saker/{CARETAKER_CASE}").text
    action = f"/app/saker/{CARETAKER_CASE}/trekk-tilbake"
    before = moss.service.max_position()
    answer = pages.client.post(action, data={**pages.form_values(page, action), "reason": " "})
    assert answer.status_code == 400
    assert moss.service.max_position() == before


def test_a_stay_started_and_ended_from_the_forms_shows_its_nights(pages: Pages, moss: Moss) -> None:
    pages.sign_in("kari")
    ref = CARETAKER_CASE
    page = pages.client.get(f"/app/saker/{ref}").text
    if "/skjema/opphold-slutt" in page:
        action = f"/app/saker/{ref}/skjema/opphold-slutt"
        pages.client.post(action, data={**pages.form_values(page, action), "on": "2026-11-01"})
        page = pages.client.get(f"/app/saker/{ref}").text
    action = f"/app/saker/{ref}/skjema/opphold-start"
    data = {**pages.form_values(page, action), "on": "2026-11-11", "kind": "hostel"}
    assert pages.client.post(action, data=data).status_code == 303
    page = pages.client.get(f"/app/saker/{ref}").text
    assert "/skjema/opphold-slutt" in page
    assert "Midlertidig opphold startet" in page
    mine = pages.client.get("/app/mine?alle=1").text
    card = mine[mine.index(f'href="/app/saker/{ref}"') :]
    card = card[: card.index("</li>\n")]
    assert "Hospits" in card and "<strong>10</strong> netter så langt" in card


def test_a_reason_with_a_phone_number_or_national_id_is_asked_for_again_and_not_kept(
    pages: Pages, moss: Moss
) -> None:
    path = f"/app/saker/{HOUSING_FIRST_CASE}"
    asked = pages.sign_in("ola").client.get(path)
    hidden = pages.form_values(asked.text, f"{path}/innsyn")
    log = AccessLog(moss.service.sql).entries(limit=100_000)
    for reason in ("ring henne på 912 34 567", "fnr 01010112345 ba om hjelp", "x" * 201):
        answer = pages.client.post(f"{path}/innsyn", data={**hidden, "grunn": reason})
        assert answer.status_code == 422
        assert "uten telefonnummer eller fødselsnummer" in answer.text
        assert "Tidslinje" not in pages.client.get(path).text
    assert AccessLog(moss.service.sql).entries(limit=100_000) == log
