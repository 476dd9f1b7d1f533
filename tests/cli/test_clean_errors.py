"""A wrong argument, option or ref on the command line is one clear line on standard error and
a non-zero exit status, never a traceback or a framed box."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli.running import run

WRONG = {
    "an unknown command": (["nosuch"], 2, "boligspor: No such command 'nosuch'."),
    "a missing argument": (["history"], 2, "boligspor history: Missing argument 'ref'."),
    "a missing option": (
        ["case", "erase", "S-1"],
        2,
        "boligspor case erase: Missing option '--reason'.",
    ),
    "an unknown option": (["report", "--bogus"], 2, "boligspor report: No such option: --bogus"),
    "a year that is no number": (
        ["report", "--year", "abc"],
        2,
        "boligspor report: Invalid value for '--year'",
    ),
    "a file that does not exist": (
        ["import", "/nonexistent/file.jsonl"],
        2,
        "boligspor import: Invalid value for 'files'",
    ),
    "an unknown format": (
        ["report", "--as-of", "2023-09-01", "--format", "pdf"],
        2,
        "--format pdf is not one of json, table, csv, xlsx, html",
    ),
    "a date that is no date": (
        ["report", "--as-of", "2023-13-01"],
        2,
        "--as-of 2023-13-01 is not a date YYYY-MM-DD",
    ),
    "an unknown case in history": (["history", "S-NOPE"], 1, "case S-NOPE does not exist"),
    "an unknown case in export": (["export", "--case", "S-NOPE"], 1, "case S-NOPE does not exist"),
    "an unknown case to erase": (
        ["case", "erase", "S-NOPE", "--reason", "retention period ended"],
        1,
        "case S-NOPE does not exist",
    ),
    "an unknown user": (["user", "deactivate", "nobody"], 1, "brukeren finnes ikke"),
}


@pytest.mark.parametrize("wrong", list(WRONG.values()), ids=list(WRONG))
def test_a_wrong_argument_or_unknown_ref_is_one_line_and_a_non_zero_exit(
    tmp_path: Path, wrong: tuple[list[str], int, str]
) -> None:
    args, status, said = wrong
    result = run(tmp_path, *args)
    assert result.returncode == status, (result.stdout, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert said in lines[0]
    assert "Traceback" not in result.stderr and "╭" not in result.stderr
    assert result.stdout == ""


def test_a_group_without_its_command_shows_its_help_and_exits_non_zero(tmp_path: Path) -> None:
    result = run(tmp_path, "case")
    assert result.returncode == 2
    assert "Usage: boligspor case" in result.stdout and "erase" in result.stdout
    assert "Traceback" not in result.stderr
