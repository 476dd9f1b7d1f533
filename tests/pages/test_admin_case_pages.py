"""An admin restricts a case, lifts the restriction and erases a case from its page, each with a
reason; while it is restricted only admins read or write it (pages, API, lists); every other
role, and every act without a reason or a CSRF token, is refused and changes nothing."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from api.access_log import AccessLog
from tests.pages.conftest import Moss, Pages, build_moss, pages_app

CASE = "S-00020"  # a case of the Moss sample no other test of this module touches
ERASED_CASE = "S-00021"


@pytest.fixture(scope="module")
def own_moss(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Moss, FastAPI]]:
    moss = build_moss(tmp_path_factory.mktemp("admin"))
    yield moss, pages_app(moss)


def signed_in(own_moss: tuple[Moss, FastAPI], name: str) -> Pages:
    moss, app = own_moss
    return Pages(app, moss).sign_in(name)


def act(pages: Pages, ref: str, path: str, reason: str) -> tuple[int, str]:
    page = pages.client.get(f"/app/saker/{ref}")
    csrf = pages.form_values(page.text, f"/app/saker/{ref}/{path}")["csrf"]
    answer = pages.client.post(f"/app/saker/{ref}/{path}", data={"csrf": csrf, "grunn": reason})
    return answer.status_code, answer.text


def api(own_moss: tuple[Moss, FastAPI], name: str) -> TestClient:
    moss, app = own_moss
    return TestClient(app, headers={"Authorization": f"Bearer {moss.tokens[name]}"})


def test_a_restricted_case_is_for_admins_alone_until_the_restriction_is_lifted(
    own_moss: tuple[Moss, FastAPI],
) -> None:
    moss, _ = own_moss
    admin, kari = signed_in(own_moss, "anne"), signed_in(own_moss, "kari")
    assert kari.client.get(f"/app/saker/{CASE}").status_code == 200

    assert act(admin, CASE, "sperre", "Ansatt i kommunen")[0] == 303
    assert moss.service.is_restricted(CASE)
    refused = kari.client.get(f"/app/saker/{CASE}")
    assert refused.status_code == 403
    assert "Saken er sperret. Bare administratorer kan lese eller registrere i den." in refused.text
    csrf = kari.form_values(kari.client.get("/app/mine").text, "/app/logg-ut")["csrf"]
    follow_up = {"event_id": "kari-sperret-1", "on": "2026-11-20", "kind": "phone", "minutes": "5"}
    form = kari.client.post(
        f"/app/saker/{CASE}/skjema/oppfolging", data={"csrf": csrf, **follow_up}
    )
    assert form.status_code == 403
    assert "Saken er sperret." in form.text
    assert moss.service.lookup_ids(["kari-sperret-1"]) == {}
    assert api(own_moss, "kari").get(f"/api/cases/{CASE}").status_code == 403
    listed = api(own_moss, "kari").get("/api/cases", params={"limit": 1}).json()["total"]
    assert api(own_moss, "anne").get("/api/cases", params={"limit": 1}).json()["total"] == (
        listed + 1
    )
    shown = admin.client.get(f"/app/saker/{CASE}")
    assert shown.status_code == 200 and "Saken er sperret: bare administratorer" in shown.text
    assert "Saken sperret" in shown.text and "Ansatt i kommunen" in shown.text

    assert act(admin, CASE, "oppheve-sperring", "Ikke lenger nødvendig")[0] == 303
    again = kari.client.get(f"/app/saker/{CASE}")
    assert again.status_code == 200
    assert "Saken sperret" in again.text and "Sperringen opphevet" in again.text
    assert "Ansatt i kommunen" not in again.text  # the reasons are for admins
    changes = [(c.action, c.by) for c in moss.service.restriction_changes(CASE)]
    assert changes == [("restricted", "anne"), ("lifted", "anne")]


@pytest.mark.parametrize("name", ["kari", "hanne", "leif"])
def test_no_other_role_restricts_lifts_or_erases(own_moss: tuple[Moss, FastAPI], name: str) -> None:
    moss, _ = own_moss
    pages = signed_in(own_moss, name)
    csrf = pages.form_values(pages.client.get("/app/boliger").text, "/app/logg-ut")["csrf"]
    before = moss.service.restriction_changes(CASE)
    for path in ("sperre", "oppheve-sperring", "slette"):
        answer = pages.client.post(
            f"/app/saker/{CASE}/{path}", data={"csrf": csrf, "grunn": "prøver", "bekreft": "ja"}
        )
        assert answer.status_code == 403, (path, answer.text)
    assert pages.client.get(f"/app/saker/{CASE}/slette").status_code == 403
    assert moss.service.restriction_changes(CASE) == before
    assert moss.service.keys.erased(f"case:{CASE}") is None
    lifting = api(own_moss, name).post(
        f"/api/cases/{CASE}/restriction/lifting", json={"reason": "prøver"}
    )
    assert lifting.status_code == 403


def test_a_restriction_needs_a_reason_and_the_sessions_token(
    own_moss: tuple[Moss, FastAPI],
) -> None:
    moss, _ = own_moss
    admin = signed_in(own_moss, "anne")
    status, page = act(admin, CASE, "sperre", "   ")
    assert status == 400 and "Skriv en grunn" in page
    no_token = admin.client.post(f"/app/saker/{CASE}/sperre", data={"grunn": "gyldig grunn"})
    assert no_token.status_code == 403
    assert not moss.service.is_restricted(CASE)


def test_lifting_what_is_not_restricted_is_refused_in_norwegian(
    own_moss: tuple[Moss, FastAPI],
) -> None:
    admin = signed_in(own_moss, "anne")
    page = admin.client.get(f"/app/saker/{CASE}")
    csrf = admin.form_values(page.text, f"/app/saker/{CASE}/sperre")["csrf"]
    answer = admin.client.post(
        f"/app/saker/{CASE}/oppheve-sperring", data={"csrf": csrf, "grunn": "ingen sperring"}
    )
    assert answer.status_code == 400 and "Saken er ikke sperret." in answer.text
    refused = api(own_moss, "anne").post(
        f"/api/cases/{CASE}/restriction/lifting", json={"reason": "ingen sperring"}
    )
    assert refused.status_code == 409
    assert refused.json()["error"]["code"] == "not_restricted"
    assert refused.json()["error"]["message"] == "Saken er ikke sperret."


def test_the_api_restricts_lifts_and_lists_the_restrictions(
    own_moss: tuple[Moss, FastAPI],
) -> None:
    client = api(own_moss, "anne")
    ref = "S-00022"
    assert client.post(f"/api/cases/{ref}/restriction", json={"reason": "sperret"}).status_code
    twice = client.post(f"/api/cases/{ref}/restriction", json={"reason": "sperret"})
    assert twice.status_code == 409 and twice.json()["error"]["code"] == "already_restricted"
    assert api(own_moss, "kari").get(f"/api/cases/{ref}/history").status_code == 403
    lifted = client.post(f"/api/cases/{ref}/restriction/lifting", json={"reason": "opphevet"})
    assert lifted.status_code == 204
    assert api(own_moss, "kari").get(f"/api/cases/{ref}/history").status_code == 200
    log = client.get(f"/api/cases/{ref}/restrictions").json()
    assert [(e["action"], e["by"], e["reason"]) for e in log] == [
        ("restricted", "anne", "sperret"),
        ("lifted", "anne", "opphevet"),
    ]
    assert api(own_moss, "kari").get(f"/api/cases/{ref}/restrictions").status_code == 403
    moss, _ = own_moss
    entry = AccessLog(moss.service.sql).entries(ref, limit=1)[0]
    assert (entry.user, entry.route) == ("anne", "GET /api/cases/{ref}/restrictions")


def test_an_erasure_names_what_is_lost_and_needs_a_confirmation(
    own_moss: tuple[Moss, FastAPI],
) -> None:
    moss, _ = own_moss
    admin = signed_in(own_moss, "anne")
    page = admin.client.get(f"/app/saker/{ERASED_CASE}/slette")
    assert page.status_code == 200
    # S-00021: a name and phone in its CaseOpened, a legal basis in its decision
    assert "Personopplysningene i 2 hendelser i saken:" in page.text
    start = page.text.index('id="tapte-felt"')
    lost = page.text[start : page.text.index("</ul>", start)]
    assert lost.count("<li>") == 3
    for field in ("navnet", "telefonnummeret", "hjemlene i vedtakene"):
        assert f"<li>{field}</li>" in lost
    assert "Slettingen kan ikke angres." in page.text
    entry = AccessLog(moss.service.sql).entries(ERASED_CASE, limit=1)[0]
    assert (entry.user, entry.route) == ("anne", "GET /app/saker/{ref}/slette")

    csrf = admin.form_values(page.text, f"/app/saker/{ERASED_CASE}/slette")["csrf"]
    unconfirmed = admin.client.post(
        f"/app/saker/{ERASED_CASE}/slette", data={"csrf": csrf, "grunn": "oppbevaringstid ute"}
    )
    assert unconfirmed.status_code == 422 and "kryss av" in unconfirmed.text
    assert moss.service.keys.erased(f"case:{ERASED_CASE}") is None

    done = admin.client.post(
        f"/app/saker/{ERASED_CASE}/slette",
        data={"csrf": csrf, "grunn": "oppbevaringstid ute", "bekreft": "ja"},
    )
    assert done.status_code == 303
    assert moss.service.keys.erased(f"case:{ERASED_CASE}") is not None
    erased = moss.service.keys.erased(f"case:{ERASED_CASE}")
    twice = admin.client.post(
        f"/app/saker/{ERASED_CASE}/slette",
        data={"csrf": csrf, "grunn": "en gang til", "bekreft": "ja"},
    )
    assert twice.status_code == 400 and "allerede slettet" in twice.text
    assert moss.service.keys.erased(f"case:{ERASED_CASE}") == erased
    assert admin.client.get(f"/app/saker/{ERASED_CASE}/slette").status_code == 400
    shown = admin.client.get(f"/app/saker/{ERASED_CASE}")
    assert "Personopplysninger slettet" in shown.text
    assert "Slett personopplysningene i saken" not in shown.text


def follow_up(event_id: str, ref: str) -> dict[str, object]:
    return {
        "id": event_id,
        "type": "FollowUpLogged",
        "case": ref,
        "on": "2026-11-20",
        "team": "housing_office",
        "kind": "phone",
        "minutes": 10,
    }


def test_an_admin_writes_a_restricted_case_and_no_other(own_moss: tuple[Moss, FastAPI]) -> None:
    moss, _ = own_moss
    restricted, other = "S-00010", "S-00004"  # both open
    moss.service.restrict_case(restricted, reason="sperret", by="anne")
    client = api(own_moss, "anne")
    stored = client.post("/api/events", json=follow_up("anne-sperret-1", restricted))
    refused = client.post("/api/events", json=follow_up("anne-apen-1", other))
    mixed = client.post(
        "/api/events:batch",
        json=[follow_up("anne-sperret-2", restricted), follow_up("anne-apen-2", other)],
    )
    assert stored.status_code == 201, stored.text
    assert (refused.status_code, mixed.status_code) == (403, 403)
    assert set(moss.service.lookup_ids(["anne-sperret-1", "anne-sperret-2", "anne-apen-1"])) == {
        "anne-sperret-1"
    }

    admin = signed_in(own_moss, "anne")
    page = admin.client.get(f"/app/saker/{restricted}")
    action = f"/app/saker/{restricted}/skjema/oppfolging"
    assert f'action="{action}"' in page.text
    data = {**admin.form_values(page.text, action), "on": "2026-11-20", "kind": "phone"}
    posted = admin.client.post(action, data={**data, "minutes": "15"})
    assert posted.status_code == 303, posted.text
    assert moss.service.lookup_ids([data["event_id"]]) != {}

    open_page = admin.client.get(f"/app/saker/{other}")
    assert "/skjema/" not in open_page.text and "Trekk tilbake" not in open_page.text
    other_form = admin.client.post(
        f"/app/saker/{other}/skjema/oppfolging",
        data={**data, "event_id": "anne-apen-3", "minutes": "15"},
    )
    assert other_form.status_code == 403
    assert moss.service.lookup_ids(["anne-apen-3"]) == {}
