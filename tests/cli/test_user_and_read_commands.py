"""The `boligspor` command as an administrator runs it, on both backends: users over their
whole life, recorded as changed by the operating-system user, and every read of personal data
through the command line kept in the access log."""

from __future__ import annotations

import json
from pathlib import Path

from api.access_log import AccessLog, operating_system_user
from api.users import UserStore
from domain.application import Boligspor
from tests.cli.running import boligspor as run
from tests.conftest import TODAY_NOW, DatabaseFactory, make_settings


def opened(ref: str) -> str:
    return json.dumps(
        {
            "id": f"open-{ref}",
            "type": "CaseOpened",
            "case": ref,
            "on": "2023-01-10",
            "household": {"adults": 1, "children": 0},
            "group": "other",
            "situation": "rough",
            "person": {"name": f"Test Person {ref}"},
        }
    )


def test_history_and_exports_are_kept_in_the_access_log_with_the_os_user(
    database_urls: DatabaseFactory, tmp_path: Path
) -> None:
    url = database_urls()
    app = Boligspor(make_settings(url), clock=lambda: TODAY_NOW)
    app.submit([(1, opened("S-1")), (2, opened("S-2"))])
    app.close()

    history = run(url, tmp_path, "history", "S-1")
    one_case = run(url, tmp_path, "export", "--case", "S-2")
    everything = run(url, tmp_path, "export", "-o", str(tmp_path / "all.jsonl"))
    unknown = run(url, tmp_path, "history", "S-404")
    app = Boligspor(make_settings(url), clock=lambda: TODAY_NOW)
    entries = AccessLog(app.sql).entries()
    app.close()

    assert history.returncode == 0 and "CaseOpened" in history.stdout
    assert one_case.returncode == 0 and "S-2" in one_case.stdout
    assert everything.returncode == 0 and unknown.returncode == 1
    who = operating_system_user()
    assert [(e.user, e.role, e.case, e.route) for e in entries] == [
        (who, "cli", "S-2", "cli export"),
        (who, "cli", "S-1", "cli export"),
        (who, "cli", "*", "cli export"),
        (who, "cli", "S-2", "cli export --case"),
        (who, "cli", "S-1", "cli history"),
    ]
    shown = run(url, tmp_path, "access-log", "--case", "S-1").stdout
    assert f"{who}\tcli\tS-1\tcli history" in shown


def test_a_user_over_their_whole_life_on_the_command_line(
    database_urls: DatabaseFactory, tmp_path: Path
) -> None:
    url = database_urls()
    added = run(url, tmp_path, "user", "add", "siv", "--role", "field", "--team", "caretaker")
    token = added.stdout.strip().splitlines()[-1]
    changed = run(url, tmp_path, "user", "change", "siv", "--role", "caseworker")
    refused = run(url, tmp_path, "user", "change", "siv", "--role", "field")
    deactivated = run(url, tmp_path, "user", "deactivate", "siv")
    app = Boligspor(make_settings(url), clock=lambda: TODAY_NOW)
    users = UserStore(app.sql)
    while_deactivated = users.authenticate(token)
    listed = run(url, tmp_path, "user", "list").stdout
    reactivated = run(url, tmp_path, "user", "reactivate", "siv")
    after_reactivation = users.authenticate(token)
    rotated = run(url, tmp_path, "user", "rotate-token", "siv")
    new_token = rotated.stdout.strip().splitlines()[-1]
    old_after_rotation = users.authenticate(token)
    new_after_rotation = users.authenticate(new_token)
    app.close()
    changes = run(url, tmp_path, "user", "changes", "--user", "siv").stdout.splitlines()
    unknown = run(url, tmp_path, "user", "deactivate", "nobody")

    assert added.returncode == 0 and changed.returncode == 0, added.stderr + changed.stderr
    assert refused.returncode == 1 and "krever et team" in refused.stderr
    assert deactivated.returncode == 0 and while_deactivated is None
    assert "siv\tcaseworker\t-\t" in listed and listed.rstrip().endswith("deaktivert")
    assert reactivated.returncode == 0 and after_reactivation is not None
    assert rotated.returncode == 0 and old_after_rotation is None
    assert new_after_rotation is not None and new_after_rotation.name == "siv"
    who = operating_system_user()
    assert [line.split("\t")[1:5] for line in changes] == [
        [who, "cli", "siv", change]
        for change in ("token_rotated", "reactivated", "deactivated", "changed", "added")
    ]
    assert unknown.returncode == 1 and "brukeren finnes ikke" in unknown.stderr
    assert token not in "\n".join(changes) + listed
