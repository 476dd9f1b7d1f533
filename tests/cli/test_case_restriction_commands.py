"""`boligspor case restrict` and `case lift-restriction`: each act kept in the case's
restriction log; lifting where nothing is restricted is one line and exit status 1."""

from __future__ import annotations

from pathlib import Path

from domain.application import Boligspor
from tests.cli.running import run
from tests.conftest import SAMPLES, make_settings


def test_a_restriction_is_lifted_from_the_command_line_and_both_stay_in_the_log(
    tmp_path: Path,
) -> None:
    assert run(tmp_path, "import", str(SAMPLES / "moss-2023.jsonl")).returncode == 0
    restricted = run(tmp_path, "case", "restrict", "S-00003", "--reason", "ansatt", "--by", "anne")
    lifted = run(
        tmp_path, "case", "lift-restriction", "S-00003", "--reason", "avsluttet", "--by", "per"
    )
    again = run(tmp_path, "case", "lift-restriction", "S-00003", "--reason", "igjen")

    assert (restricted.returncode, restricted.stdout) == (0, "S-00003: is restricted\n")
    assert (lifted.returncode, lifted.stdout) == (0, "S-00003: restriction lifted\n")
    assert again.returncode == 1
    assert again.stderr.strip().splitlines() == ["case S-00003 is not restricted"]
    app = Boligspor(make_settings(f"sqlite:///{tmp_path / 'store.sqlite'}"))
    try:
        assert not app.is_restricted("S-00003")
        changes = [(c.action, c.by, c.reason) for c in app.restriction_changes("S-00003")]
        assert changes == [("restricted", "anne", "ansatt"), ("lifted", "per", "avsluttet")]
    finally:
        app.close()
