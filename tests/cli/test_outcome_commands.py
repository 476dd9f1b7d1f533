"""`report --outcomes` and `report --data-quality` from the command line, against the samples'
expected files."""

from __future__ import annotations

import json
from pathlib import Path

from projections.labels import label
from tests.cli.test_command_line import run
from tests.conftest import SAMPLES


def test_report_outcomes_gives_the_expected_json_and_a_kostra_table(tmp_path: Path) -> None:
    assert run(tmp_path, "import", str(SAMPLES / "outcomes-2017-2025.jsonl")).returncode == 0
    result = run(tmp_path, "report", "--outcomes", "--year", "2024", "--format", "json")
    assert result.returncode == 0, result.stderr
    expected = json.loads((SAMPLES / "outcomes-2017-2025.outcomes-2024.json").read_text())
    assert json.loads(result.stdout) == expected
    table = run(tmp_path, "report", "--outcomes", "--year", "2024", "--format", "table")
    assert table.returncode == 0, table.stderr
    titles = [label(f"table.{key}") for key in ("kostra_dwellings", "kostra_applications",
              "kostra_allocated", "kostra_waiting_list", "kostra_temporary_housing")]  # fmt: skip
    positions = [table.stdout.index(title.upper()) for title in titles]
    assert positions == sorted(positions)
    share = expected["kostra"]["temporary_housing"]["share_14_nights_or_fewer"]
    assert f"{share:.1f}".replace(".", ",") in table.stdout


def test_report_data_quality_gives_the_expected_lists(tmp_path: Path) -> None:
    assert run(tmp_path, "import", str(SAMPLES / "outcomes-2017-2025.jsonl")).returncode == 0
    result = run(tmp_path, "report", "--data-quality", "--as-of", "2025-06-30")
    assert result.returncode == 0, result.stderr
    expected = json.loads((SAMPLES / "outcomes-2017-2025.data-quality-2025-06-30.json").read_text())
    assert json.loads(result.stdout) == expected
    table = run(tmp_path, "report", "--data-quality", "--as-of", "2025-06-30", "--format", "table")
    assert table.returncode == 0, table.stderr
    assert label("check.decision_pending_over_30_days") in table.stdout
    assert all(ref in table.stdout for ref in expected["checks"]["decision_pending_over_30_days"])


def test_the_new_flags_need_their_date_or_year(tmp_path: Path) -> None:
    assert run(tmp_path, "report", "--outcomes", "--as-of", "2024-12-31").returncode == 2
    assert run(tmp_path, "report", "--data-quality", "--year", "2024").returncode == 2
