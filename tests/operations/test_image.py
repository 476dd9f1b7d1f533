"""The container image, read (no Docker engine here): it runs as an unprivileged user and
starts the processes docs/operations.md documents, which the command line has."""

from __future__ import annotations

import json
import re

from typer.testing import CliRunner

from cli.main import app
from tests.operations.processes import REPO


def final_stage() -> list[str]:
    lines = (REPO / "Dockerfile").read_text().splitlines()
    starts = [n for n, line in enumerate(lines) if line.startswith("FROM ")]
    return [line for line in lines[starts[-1] :] if line and not line.startswith("#")]


def test_the_image_runs_as_an_unprivileged_user_from_before_its_command() -> None:
    stage = final_stage()
    users = [line.split()[1] for line in stage if line.startswith("USER ")]
    assert users and users[-1] not in ("root", "0")
    assert "--uid 10001 boligspor" in "\n".join(stage)
    last_user = max(n for n, line in enumerate(stage) if line.startswith("USER "))
    command = next(n for n, line in enumerate(stage) if line.startswith("ENTRYPOINT"))
    assert last_user < command


def test_the_image_starts_the_documented_web_tier_and_the_cli_has_every_documented_process() -> (
    None
):
    stage = final_stage()
    entrypoint = json.loads(
        next(s for s in stage if s.startswith("ENTRYPOINT"))[len("ENTRYPOINT") :]
    )
    command = json.loads(next(s for s in stage if s.startswith("CMD"))[len("CMD") :])
    assert entrypoint == ["boligspor"]
    assert command[0] == "serve" and "--workers" in command
    operations = (REPO / "docs" / "operations.md").read_text()
    documented = set(re.findall(r"(?<![\w-])boligspor ([a-z]+)", operations))
    assert {"serve", "worker", "backup", "restore"} <= documented
    listed = CliRunner().invoke(app, ["--help"], terminal_width=200).output
    for name in documented:
        assert name in listed, name
    assert "--workers" in CliRunner().invoke(app, ["serve", "--help"], terminal_width=200).output
