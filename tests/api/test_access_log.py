"""Every read of a case's personal data is logged, in a table nobody can rewrite."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import quote

import pytest
from typer import Typer
from typer.testing import CliRunner

from api.access_log import AccessLog
from cli.access import register
from tests.api.conftest import CARETAKER_CASE, HOUSING_FIRST_CASE, Api
from tests.conftest import TEST_KEY, TODAY_NOW


def test_reading_a_case_and_its_history_is_logged_with_who_when_where_and_why(moss: Api) -> None:
    reason = {"X-Access-Reason": quote("hjemmebesøk i morgen")}
    assert moss.get(f"/api/cases/{HOUSING_FIRST_CASE}", as_="housing_first", headers=reason)
    moss.get(f"/api/cases/{HOUSING_FIRST_CASE}/history", as_="caseworker")

    log = moss.get(f"/api/cases/{HOUSING_FIRST_CASE}/access-log", as_="admin").json()

    assert [(e["user"], e["role"], e["route"], e["reason"]) for e in log[:2]] == [
        ("kari", "caseworker", "GET /api/cases/{ref}/history", None),
        ("hanne", "field", "GET /api/cases/{ref}", "hjemmebesøk i morgen"),
    ]
    assert all(e["case"] == HOUSING_FIRST_CASE for e in log)
    assert log[0]["at"].startswith("2026-11-21")


def test_a_refused_read_is_not_logged_as_a_read(moss: Api) -> None:
    before = moss.get(f"/api/cases/{CARETAKER_CASE}/access-log", as_="caseworker").json()
    assert moss.get(f"/api/cases/{CARETAKER_CASE}", as_="housing_first").status_code == 403
    after = moss.get(f"/api/cases/{CARETAKER_CASE}/access-log", as_="caseworker").json()
    assert after == before


def test_the_case_list_and_waiting_list_show_no_names(moss: Api) -> None:
    cases = moss.get("/api/cases", as_="caseworker").json()["items"]
    waiting = moss.get("/api/waiting-list?as_of=2023-09-01", as_="caseworker").json()["items"]
    assert cases and waiting
    assert all("person" not in case for case in cases)
    assert all(
        set(entry) == {"case", "priority", "joined_on", "days_waiting", "group"}
        for entry in waiting
    )


@pytest.mark.parametrize("statement", ["UPDATE {t} SET reason = 'x'", "DELETE FROM {t}"])
def test_the_access_log_cannot_be_changed_even_with_sql(moss: Api, statement: str) -> None:
    sql = moss.app.sql
    moss.get(f"/api/cases/{CARETAKER_CASE}", as_="caseworker")
    before = moss.services.access_log.entries()
    with pytest.raises(Exception, match="append-only"):
        sql.execute(statement.format(t=sql.table("access_log")))
    assert moss.services.access_log.entries() == before


def test_the_cli_adds_a_user_whose_token_works_and_shows_the_access_log(
    moss: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BOLIGSPOR_DATABASE_URL", moss.services.settings.database_url)
    monkeypatch.setenv("BOLIGSPOR_PAYLOAD_KEY", TEST_KEY)
    monkeypatch.setenv("BOLIGSPOR_MASTER_KEY", TEST_KEY)
    cli = Typer()
    register(cli)
    runner = CliRunner()

    added = runner.invoke(cli, ["user", "add", "siv", "--role", "caseworker"])
    refused = runner.invoke(cli, ["user", "add", "per", "--role", "field"])
    token = added.output.strip().splitlines()[-1]
    moss.tokens["siv"] = token
    read = moss.get(f"/api/cases/{CARETAKER_CASE}", as_="siv")
    listed = runner.invoke(cli, ["user", "list"])
    log = runner.invoke(cli, ["access-log", "--case", CARETAKER_CASE])

    assert added.exit_code == 0 and read.status_code == 200
    assert refused.exit_code == 1 and "krever et team" in refused.output
    assert "siv\tcaseworker" in listed.output and token not in listed.output
    assert f"siv\tcaseworker\t{CARETAKER_CASE}\tGET /api/cases/{{ref}}" in log.output


def test_a_store_made_before_reads_were_flagged_gets_the_column_and_keeps_its_guard(
    fresh_api: Callable[[], Api],
) -> None:
    """The old table (no `flagged`), with its triggers and an old entry: opening the store adds
    the column, the old entry reads unflagged, new flagged reads are kept, and UPDATE and
    DELETE are still refused."""
    api = fresh_api()
    sql = api.app.sql
    table = sql.table("access_log")
    sql.execute(f"DROP TABLE {table} CASCADE" if sql.postgres else f"DROP TABLE {table}")
    key = (
        "id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY"
        if sql.postgres
        else "id INTEGER PRIMARY KEY AUTOINCREMENT"
    )
    sql.execute(
        f"CREATE TABLE {table} ({key}, at TEXT NOT NULL, user_name TEXT NOT NULL,"
        " role TEXT NOT NULL, case_ref TEXT NOT NULL, route TEXT NOT NULL, reason TEXT)"
    )
    sql.execute(
        f"INSERT INTO {table} (at, user_name, role, case_ref, route, reason)"
        " VALUES ('2025-01-02T03:04:05+00:00', 'kari', 'caseworker', 'S-1', 'GET x', NULL)"
    )
    old = AccessLog(sql)
    if sql.postgres:
        old._guard_postgres()
    else:
        for action in ("UPDATE", "DELETE"):
            sql.execute(
                f"CREATE TRIGGER access_log_no_{action.lower()} BEFORE {action} ON access_log"
                " BEGIN SELECT RAISE(ABORT, 'access_log is append-only'); END"
            )

    log = AccessLog(sql)
    log.ensure_table()
    log.ensure_table()  # twice: nothing changes the second time
    user = api.services.users.get("ola")
    assert user is not None
    log.record(user, "S-2", "GET y", "akutt nattevakt", now=TODAY_NOW, flagged=True)

    assert [(e.case, e.reason, e.flagged) for e in log.entries()] == [
        ("S-2", "akutt nattevakt", True),
        ("S-1", None, False),
    ]
    assert [e.case for e in log.entries(flagged=True)] == ["S-2"]
    for statement in (f"UPDATE {table} SET flagged = FALSE", f"DELETE FROM {table}"):
        with pytest.raises(Exception, match="append-only"):
            sql.execute(statement)
    assert len(log.entries()) == 2


def test_the_cli_shows_only_the_flagged_reads_when_asked(
    moss: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BOLIGSPOR_DATABASE_URL", moss.services.settings.database_url)
    monkeypatch.setenv("BOLIGSPOR_PAYLOAD_KEY", TEST_KEY)
    monkeypatch.setenv("BOLIGSPOR_MASTER_KEY", TEST_KEY)
    cli = Typer()
    register(cli)
    reason = {"X-Access-Reason": quote("nattevakt ringte")}
    assert moss.get(f"/api/cases/{CARETAKER_CASE}", as_="housing_first", headers=reason)
    assert moss.get(f"/api/cases/{CARETAKER_CASE}", as_="caseworker")

    flagged = CliRunner().invoke(cli, ["access-log", "--flagged"])
    every = CliRunner().invoke(cli, ["access-log", "--limit", "2"])

    assert flagged.exit_code == every.exit_code == 0
    lines = flagged.output.splitlines()
    assert lines and all(line.endswith("\tmerket") for line in lines)
    assert lines[0].endswith(
        f"\thanne\tfield\t{CARETAKER_CASE}\tGET /api/cases/{{ref}}\tnattevakt ringte\tmerket"
    )
    assert [line.rsplit("\t", 1)[1] for line in every.output.splitlines()] == ["-", "merket"]


def test_a_read_outside_the_team_is_flagged_and_only_admins_list_the_flagged_reads(
    moss: Api,
) -> None:
    reason = {"X-Access-Reason": quote("  beboer ringte nattevakten  ")}
    assert moss.get(f"/api/cases/{CARETAKER_CASE}", as_="housing_first").status_code == 403
    assert moss.get(f"/api/cases/{CARETAKER_CASE}", as_="housing_first", headers=reason)
    assert moss.get(f"/api/cases/{HOUSING_FIRST_CASE}", as_="housing_first", headers=reason)

    flagged = moss.get("/api/access-log?flagged=true&limit=1", as_="admin").json()
    newest = moss.get("/api/access-log?limit=2", as_="admin").json()
    of_case = moss.get(f"/api/cases/{CARETAKER_CASE}/access-log", as_="caseworker").json()

    assert [(e["user"], e["case"], e["reason"], e["flagged"]) for e in newest] == [
        ("hanne", HOUSING_FIRST_CASE, "beboer ringte nattevakten", False),
        ("hanne", CARETAKER_CASE, "beboer ringte nattevakten", True),
    ]
    assert flagged == newest[1:]
    assert of_case[0] == newest[1]
    assert moss.get("/api/access-log", as_="caseworker").status_code == 403


def test_the_cases_a_list_shows_are_logged_one_entry_each_in_one_go(moss: Api) -> None:
    user = moss.services.users.get("kari")
    assert user is not None
    before = len(moss.services.access_log.entries(limit=100_000))

    moss.services.access_log.record_many(
        user, [CARETAKER_CASE, HOUSING_FIRST_CASE], "GET /app/liste", now=TODAY_NOW
    )

    entries = moss.services.access_log.entries(limit=100_000)
    assert len(entries) == before + 2
    assert {(e.user, e.role, e.case, e.route, e.reason, e.flagged) for e in entries[:2]} == {
        ("kari", "caseworker", CARETAKER_CASE, "GET /app/liste", None, False),
        ("kari", "caseworker", HOUSING_FIRST_CASE, "GET /app/liste", None, False),
    }
    assert entries[0].at == TODAY_NOW.isoformat(timespec="seconds")
