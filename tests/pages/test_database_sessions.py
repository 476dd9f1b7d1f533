"""Web sessions and the login limit live in the database, on both backends: any process finds
what another started, a restart keeps them, only hashes are stored, and they end as they must."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import timedelta

from api.pages.login_limit import LoginLimiter
from api.pages.sessions import SessionStore
from api.users import SYSTEM, UserStore
from domain.application import Boligspor
from tests.conftest import TODAY_NOW

IDLE = timedelta(minutes=30)
LIFETIME = timedelta(hours=8)


def sessions(app: Boligspor) -> SessionStore:
    UserStore(app.sql).ensure_table()
    return SessionStore(app.sql, idle=IDLE, lifetime=LIFETIME)


class Clock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


def limiter(app: Boligspor, clock: Clock) -> LoginLimiter:
    UserStore(app.sql).ensure_table()
    return LoginLimiter(app.sql, tries_per_user=3, tries_per_address=5, window=60, clock=clock)


def test_a_session_started_in_one_process_is_found_by_another_and_after_a_restart(
    new_app: Callable[[], Boligspor],
) -> None:
    first = new_app()
    second = Boligspor(first.settings, clock=lambda: TODAY_NOW)
    started = sessions(first).start("kari", now=TODAY_NOW)

    seen = sessions(second).find(started.sid, now=TODAY_NOW + timedelta(minutes=1))
    first.close()
    second.close()
    restarted = Boligspor(first.settings, clock=lambda: TODAY_NOW)
    after_restart = sessions(restarted).find(started.sid, now=TODAY_NOW + timedelta(minutes=2))
    restarted.close()

    assert seen is not None and seen.user_name == "kari" and seen.csrf == started.csrf
    assert after_restart is not None and after_restart.csrf_matches(started.csrf)


def test_only_a_hash_of_the_session_id_is_stored(new_app: Callable[[], Boligspor]) -> None:
    app = new_app()
    started = sessions(app).start("kari", now=TODAY_NOW)
    rows = app.sql.query(f"SELECT sid_hash FROM {app.sql.table('web_sessions')}")
    app.close()
    stored = {str(row[0]) for row in rows}
    assert started.sid not in stored
    assert hashlib.sha256(started.sid.encode()).hexdigest() in stored


def test_a_session_ends_after_the_idle_time_without_a_request(
    new_app: Callable[[], Boligspor],
) -> None:
    app = new_app()
    store = sessions(app)
    kept = store.start("kari", now=TODAY_NOW)
    idle = store.start("ola", now=TODAY_NOW)
    for minutes in (20, 40, 60):  # kari comes back every 20 minutes
        assert store.find(kept.sid, now=TODAY_NOW + timedelta(minutes=minutes)) is not None
    found_idle = store.find(idle.sid, now=TODAY_NOW + IDLE)
    app.close()
    assert found_idle is None


def test_a_busy_session_still_ends_at_its_absolute_lifetime(
    new_app: Callable[[], Boligspor],
) -> None:
    app = new_app()
    store = sessions(app)
    started = store.start("kari", now=TODAY_NOW)
    moment = TODAY_NOW
    while moment + timedelta(minutes=20) < TODAY_NOW + LIFETIME:
        moment += timedelta(minutes=20)
        assert store.find(started.sid, now=moment) is not None
    ended = store.find(started.sid, now=TODAY_NOW + LIFETIME)
    app.close()
    assert ended is None


def test_logging_out_ends_the_session_and_forgets_its_stated_reasons(
    new_app: Callable[[], Boligspor],
) -> None:
    app = new_app()
    store = sessions(app)
    started = store.start("ola", now=TODAY_NOW)
    store.state_reason(started, "S-00115", "hjemmebesøk i dag")
    store.state_reason(started, "S-00115", "hjemmebesøk i morgen")
    kept = store.reason(started, "S-00115")
    other_case = store.reason(started, "S-00002")
    store.end(started.sid)
    after = store.find(started.sid, now=TODAY_NOW)
    reasons = app.sql.query(f"SELECT * FROM {app.sql.table('web_session_reasons')}")
    app.close()
    assert kept == "hjemmebesøk i morgen" and other_case is None
    assert after is None and reasons == []


def test_deactivating_a_user_or_rotating_their_token_ends_their_sessions(
    new_app: Callable[[], Boligspor],
) -> None:
    app = new_app()
    users = UserStore(app.sql)
    store = sessions(app)
    for name in ("kari", "leif"):
        users.add(name, "caseworker", None, now=TODAY_NOW)
    kari, leif, other = (store.start(n, now=TODAY_NOW) for n in ("kari", "leif", "leif"))
    anonymous = store.start(None, now=TODAY_NOW)

    users.deactivate("kari", now=TODAY_NOW, by=SYSTEM)
    after_deactivation = [store.find(s.sid, now=TODAY_NOW) for s in (kari, leif, anonymous)]
    users.rotate_token("leif", now=TODAY_NOW, by=SYSTEM)
    after_rotation = [store.find(s.sid, now=TODAY_NOW) for s in (leif, other, anonymous)]
    app.close()

    assert [s is not None for s in after_deactivation] == [False, True, True]
    assert [s is not None for s in after_rotation] == [False, False, True]


def test_failed_sign_ins_count_per_name_across_processes_and_addresses(
    new_app: Callable[[], Boligspor],
) -> None:
    first, clock = new_app(), Clock()
    second = Boligspor(first.settings, clock=lambda: TODAY_NOW)
    one, two = limiter(first, clock), limiter(second, clock)
    one.failed("10.0.0.1", "kari")
    two.failed("10.0.0.2", "kari")
    before = one.retry_after("10.0.0.3", "kari")
    one.failed("10.0.0.3", "kari")

    blocked = [two.retry_after(address, "kari") for address in ("10.0.0.1", "10.0.0.9")]
    other_name = two.retry_after("10.0.0.1", "leif")
    clock.now += 61
    later = two.retry_after("10.0.0.1", "kari")
    first.close()
    second.close()

    assert before is None
    assert blocked == [60, 60]
    assert other_name is None
    assert later is None


def test_varying_the_typed_name_does_not_escape_the_limit_per_address(
    new_app: Callable[[], Boligspor],
) -> None:
    app, clock = new_app(), Clock()
    limit = limiter(app, clock)
    for n in range(5):
        limit.failed("10.0.0.1", f"guess-{n}")
        clock.now += 1
    from_there = limit.retry_after("10.0.0.1", "someone-new")
    from_elsewhere = limit.retry_after("10.0.0.2", "someone-new")
    app.close()
    assert from_there == 55
    assert from_elsewhere is None


def test_a_successful_sign_in_clears_the_names_count_but_not_the_addresss(
    new_app: Callable[[], Boligspor],
) -> None:
    app, clock = new_app(), Clock()
    limit = limiter(app, clock)
    for name in ("kari", "kari", "leif", "leif"):
        limit.failed("10.0.0.1", name)
    limit.succeeded("10.0.0.1", "kari")
    kari = limit.retry_after("10.0.0.1", "kari")
    limit.failed("10.0.0.1", "kari")  # the address's fifth failure
    address = limit.retry_after("10.0.0.1", "kari")
    rows = app.sql.query(f"SELECT kind, key_hash FROM {app.sql.table('login_failures')}")
    app.close()
    assert kari is None
    assert address == 60
    assert not {"kari", "leif", "10.0.0.1"} & {str(v) for row in rows for v in row}
