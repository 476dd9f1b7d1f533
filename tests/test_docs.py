"""The contract's docs in the repository name every event, field, value and figure the code
knows, their example is a valid file, and what people read points at them, not outside."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from domain import records
from domain.payloads import PAYLOADS, own_fields
from domain.payloads.fields import OneOf
from domain.schema import CONFIGURED_KEYS
from tests.cli.test_command_line import run
from tests.conftest import SAMPLES, TODAY_NOW

REPO = Path(__file__).resolve().parents[1]
EVENTS = (REPO / "docs" / "events.md").read_text(encoding="utf-8")
FIGURES = (REPO / "docs" / "figures.md").read_text(encoding="utf-8")
OUTSIDE = re.compile(r"EVENTS\.md|FIGURES\.md|shared/samples|\.\./shared")


def code_words(text: str) -> set[str]:
    """Every word written as code (between backticks) in a Markdown text."""
    return {word for span in re.findall(r"`([^`]+)`", text) for word in re.findall(r"\w+", span)}


def keys_of(value: Any) -> set[str]:
    if isinstance(value, dict):
        return set(value) | {key for item in value.values() for key in keys_of(item)}
    if isinstance(value, list):
        return {key for item in value for key in keys_of(item)}
    return set()


def test_events_md_names_every_type_field_and_value_of_the_table() -> None:
    named = code_words(EVENTS)
    missing = []
    for kind in PAYLOADS:
        missing += [kind] if kind not in named else []
        for spec in own_fields(kind):
            missing += [f"{kind}.{spec.name}"] if spec.name not in named else []
            options = spec.rule.options if isinstance(spec.rule, OneOf) else ()
            missing += [f"{spec.name}={o}" for o in options if o not in named]
    assert missing == []


def test_the_districts_are_documented_as_configuration() -> None:
    assert set(CONFIGURED_KEYS) == {"district"}
    assert "municipality's configuration" in EVENTS and "Moss" in EVENTS


def test_the_example_of_events_md_is_a_valid_file() -> None:
    block = EVENTS.split("## Example", 1)[1].split("```json\n", 1)[1].split("```", 1)[0]
    lines = block.splitlines()
    assert len(lines) == 6
    for line in lines:
        records.parse_event(json.loads(line), today=TODAY_NOW.date())


def test_figures_md_defines_every_key_of_every_expected_report() -> None:
    named = code_words(FIGURES) | code_words(EVENTS)
    reports = sorted(SAMPLES.glob("*.*.json"))
    assert reports, f"no expected reports in {SAMPLES}"
    undefined = {
        (path.name, key)
        for path in reports
        for key in keys_of(json.loads(path.read_text(encoding="utf-8")))
        if key not in named
    }
    assert undefined == set()


def test_nothing_people_read_points_outside_the_repository() -> None:
    readable = [REPO / "README.md", *(REPO / "api").rglob("*.py"), *(REPO / "cli").rglob("*.py")]
    pointing = [str(p.relative_to(REPO)) for p in readable if OUTSIDE.search(p.read_text("utf-8"))]
    assert pointing == []


def test_the_help_of_import_export_and_report_points_at_the_docs(tmp_path: Path) -> None:
    for command, doc in (("import", "docs/events.md"), ("export", "docs/events.md")):
        assert doc in run(tmp_path, command, "--help").stdout
    assert "docs/figures.md" in run(tmp_path, "report", "--help").stdout
