"""The shape docs/architecture.md describes, checked: the layers, no import circles, read models
that own their tables, and small modules."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("domain", "projections", "api", "workers", "cli")
LONG = 300
LONG_REASON = "Longer than 300 lines because"
READ_MODEL_TABLE = re.compile(r"\brm_[a-z_]+")


def sources(*packages: str) -> list[Path]:
    return sorted(p for package in packages for p in (ROOT / package).rglob("*.py"))


def test_the_layers_hold_and_no_module_imports_itself_in_a_circle() -> None:
    # In its own process: import-linter configures logging with dictConfig, which disables every
    # logger that exists already (the workers' retry log tests then see no records).
    run = subprocess.run(
        [
            str(Path(sys.executable).parent / "lint-imports"),
            "--config",
            str(ROOT / "pyproject.toml"),
            "--no-cache",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stdout + run.stderr


def test_outside_projections_no_code_names_a_read_model_table() -> None:
    leaks = [
        f"{path.relative_to(ROOT)}: {match}"
        for path in sources("domain", "api", "workers", "cli")
        for match in sorted(set(READ_MODEL_TABLE.findall(path.read_text())))
    ]
    assert leaks == []


def test_a_module_over_300_lines_says_at_its_top_why() -> None:
    unexplained = [
        f"{path.relative_to(ROOT)} ({lines} lines)"
        for path in sources(*PACKAGES)
        if (lines := len(path.read_text().splitlines())) > LONG
        and LONG_REASON not in "\n".join(path.read_text().splitlines()[:20])
    ]
    assert unexplained == []
