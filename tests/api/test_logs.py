"""The logs of the whole test run hold no name, national id or phone number of the samples."""

from __future__ import annotations

from tests.api.conftest import personal_values, run_log_lines


def test_the_logs_of_the_whole_run_hold_no_names_or_national_ids() -> None:
    values = personal_values()
    lines = run_log_lines()
    assert len(values) > 100
    assert any('"route": "/api/cases/{ref}"' in line for line in lines)
    leaked = {value for value in values for line in lines if value in line}
    assert not leaked, f"{len(leaked)} personal values found in the logs"
