"""The users page for admins: every form needs the session's CSRF token, a new token is shown
once, a deactivation signs the user out of every session at once, and every change is listed."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from pydantic import ValidationError

from api.user_changes import UserChanges
from api.users import UserStore
from domain.application import Boligspor
from settings import Settings
from tests.conftest import TODAY_NOW, make_settings
from tests.pages.conftest import USERS, Moss, Pages, csrf_of, pages_app


@pytest.fixture
def own_moss(tmp_path: Path) -> Moss:
    """The pages' users over an empty store of their own (these tests change users)."""
    settings = make_settings(f"sqlite:///{tmp_path / 'users.sqlite'}")
    moss = Moss(settings, Boligspor(settings, clock=lambda: TODAY_NOW))
    users = UserStore(moss.service.sql)
    users.ensure_table()
    for name, (role, team) in USERS.items():
        moss.tokens[name] = users.add(name, role, team, now=TODAY_NOW)[1]
    return moss


def signed_in(moss: Moss, name: str, **client: object) -> Pages:
    pages = Pages(pages_app(moss), moss)
    if client:
        pages.client = TestClient(pages.client.app, follow_redirects=False, **client)  # type: ignore[arg-type]
    return pages.sign_in(name)


def post(pages: Pages, action: str, **fields: str) -> tuple[int, str]:
    page = pages.client.get("/app/brukere")
    answer = pages.client.post(action, data={"csrf": csrf_of(page.text), **fields})
    return answer.status_code, answer.text


def test_the_users_page_is_for_admins_only(own_moss: Moss) -> None:
    admin = signed_in(own_moss, "anne").client.get("/app/brukere")
    assert admin.status_code == 200
    assert "Brukere" in admin.text and "Endringslogg" in admin.text
    assert 'href="/app/brukere"' in admin.text  # in the menu
    for name in ("kari", "hanne", "leif"):
        pages = signed_in(own_moss, name)
        assert pages.client.get("/app/brukere").status_code == 403
        mine = pages.client.get("/app/").headers["location"]
        assert 'href="/app/brukere"' not in pages.client.get(mine).text


def test_an_admin_adds_a_user_and_sees_the_token_once_and_it_signs_in(own_moss: Moss) -> None:
    admin = signed_in(own_moss, "anne")
    status, html = post(admin, "/app/brukere", name="siv", role="field", team="caretaker")
    token = re.search(r"<code>([^<]+)</code>", html)
    again = admin.client.get("/app/brukere").text

    assert status == 200 and token is not None
    assert "vises bare nå" in html
    assert token.group(1) not in again
    own_moss.tokens["siv"] = token.group(1)
    siv = signed_in(own_moss, "siv")
    assert siv.client.get("/app/mine").status_code == 200


def test_a_refused_user_is_not_added_and_the_page_says_why(own_moss: Moss) -> None:
    admin = signed_in(own_moss, "anne")
    status, html = post(admin, "/app/brukere", name="siv", role="field", team="")
    assert status == 422
    assert "rollen Feltarbeider krever et team" in html
    assert 'id="bruker-siv"' not in admin.client.get("/app/brukere").text


def test_forms_without_the_csrf_token_change_nothing(own_moss: Moss) -> None:
    admin = signed_in(own_moss, "anne")
    hanne = signed_in(own_moss, "hanne")
    changes = UserChanges(own_moss.service.sql)
    before = changes.entries()
    for action, fields in (
        ("/app/brukere", {"name": "siv", "role": "admin"}),
        ("/app/brukere/hanne/deaktiver", {}),
        ("/app/brukere/hanne/ny-nokkel", {}),
        ("/app/brukere/hanne/endre", {"role": "admin"}),
    ):
        answer = admin.client.post(action, data={"csrf": "forged", **fields})
        assert answer.status_code == 403
    assert hanne.client.get("/app/mine").status_code == 200
    assert changes.entries() == before
    assert 'id="bruker-siv"' not in admin.client.get("/app/brukere").text


def test_deactivating_a_user_signs_them_out_at_once_and_reactivating_lets_them_in(
    own_moss: Moss,
) -> None:
    admin = signed_in(own_moss, "anne")
    hanne = signed_in(own_moss, "hanne")
    assert hanne.client.get("/app/mine").status_code == 200

    status, _ = post(admin, "/app/brukere/hanne/deaktiver")
    page = hanne.client.get("/app/mine")
    login = Pages(admin.client.app, own_moss).client
    form = login.get("/app/logg-inn")
    refused = login.post(
        "/app/logg-inn",
        data={"csrf": csrf_of(form.text), "name": "hanne", "token": own_moss.tokens["hanne"]},
    )
    listed = admin.client.get("/app/brukere").text
    reactivated, _ = post(admin, "/app/brukere/hanne/aktiver")

    assert status == 303
    assert page.status_code == 303 and page.headers["location"] == "/app/logg-inn"
    assert refused.status_code == 401
    assert "Deaktivert" in listed
    assert reactivated == 303
    assert signed_in(own_moss, "hanne").client.get("/app/mine").status_code == 200


def test_a_changed_role_and_a_new_token_take_effect_and_are_logged(own_moss: Moss) -> None:
    admin = signed_in(own_moss, "anne")
    leif = signed_in(own_moss, "leif")
    assert leif.client.get("/app/mine").status_code == 403

    changed, _ = post(admin, "/app/brukere/leif/endre", role="caseworker", team="")
    as_caseworker = leif.client.get("/app/mine").status_code
    rotated, html = post(admin, "/app/brukere/leif/ny-nokkel")
    after_rotation = leif.client.get("/app/mine")
    log = admin.client.get("/app/brukere").text.split('id="endringer"')[1]

    assert changed == 303 and as_caseworker == 200
    assert rotated == 200 and "Ny tilgangsnøkkel" in html
    assert after_rotation.status_code == 303  # the old token's sessions ended
    assert "rolle Leder → Saksbehandler" in log
    assert log.index("Ny tilgangsnøkkel") < log.index("Rolle eller team endret")
    assert "anne" in log and "Nettsiden" in log


def test_x_forwarded_for_counts_only_from_a_configured_proxy(own_moss: Moss) -> None:
    proxied = own_moss.settings.model_copy(
        update={"trusted_proxies": ("10.0.0.0/8",), "login_tries_per_address": 2}
    )
    own_moss.settings = proxied
    app = pages_app(own_moss)

    def fail(peer: str, forwarded: str, name: str) -> int:
        client = TestClient(app, follow_redirects=False, client=(peer, 4000))
        page = client.get("/app/logg-inn")
        return client.post(
            "/app/logg-inn",
            data={"csrf": csrf_of(page.text), "name": name, "token": "x.y"},
            headers={"X-Forwarded-For": forwarded},
        ).status_code

    # Behind the proxy, two people at two addresses: each has their own count.
    behind = [fail("10.1.2.3", f"192.0.2.{n % 2}", f"guess-{n}") for n in range(4)]
    # A client that is no proxy cannot pick its address by sending the header.
    direct = [fail("198.51.100.7", f"192.0.2.{n + 10}", f"other-{n}") for n in range(3)]
    assert behind == [401, 401, 401, 401]
    assert direct == [401, 401, 429]


def test_a_trusted_proxy_that_is_no_address_or_network_is_refused_when_settings_load() -> None:
    with pytest.raises(ValidationError, match="nonsense"):
        Settings(trusted_proxies=("10.0.0.0/8", "nonsense"))
    assert Settings(trusted_proxies=("10.0.0.0/8", "::1")).trusted_proxies == ("10.0.0.0/8", "::1")
