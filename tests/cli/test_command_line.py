"""The `boligspor` command, run as a user runs it: a real process on a real SQLite file."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from tests.cli.running import run
from tests.conftest import SAMPLES


def test_a_refused_file_exits_non_zero_names_the_line_and_stores_nothing(tmp_path: Path) -> None:
    result = run(tmp_path, "import", str(SAMPLES / "invalid" / "double-occupancy.jsonl"))
    assert result.returncode == 1
    assert "line 5 (x1): dwelling B-1 holds S-1" in result.stderr
    assert run(tmp_path, "export").stdout == ""


def test_import_twice_then_export_gives_the_file_back(tmp_path: Path) -> None:
    sample = SAMPLES / "edge-2017-2025.jsonl"
    first = run(tmp_path, "import", str(sample))
    assert first.returncode == 0, first.stderr
    assert "3468 stored, 0 already stored" in first.stdout
    second = run(tmp_path, "import", str(sample))
    assert "0 stored, 3468 already stored" in second.stdout
    out = tmp_path / "out.jsonl"
    assert run(tmp_path, "export", "-o", str(out)).returncode == 0
    originals = [json.loads(line) for line in sample.read_text().splitlines() if line.strip()]
    for event in originals:
        event.setdefault("by", "import")
    assert [json.loads(line) for line in out.read_text().splitlines()] == originals


def test_report_as_of_gives_the_expected_status_json(tmp_path: Path) -> None:
    assert run(tmp_path, "import", str(SAMPLES / "moss-2023.jsonl")).returncode == 0
    result = run(tmp_path, "report", "--as-of", "2023-09-01", "--format", "json")
    assert result.returncode == 0, result.stderr
    expected = json.loads((SAMPLES / "moss-2023.status-2023-09-01.json").read_text())
    assert json.loads(result.stdout) == expected


def test_report_plan_prints_each_target_year_by_year_in_norwegian(tmp_path: Path) -> None:
    assert run(tmp_path, "import", str(SAMPLES / "moss-2023.jsonl")).returncode == 0
    result = run(tmp_path, "report", "--plan", "--format", "table")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("Moss kommune – Boligsosial avdeling: Boligpolitisk plan")
    waiting = lines[lines.index("VENTELISTE") :]
    # 31.12.2024: 32 waiting (moss-2023.status-2024-12-31.json); the path 193 − 100 · 487/4504
    assert waiting[6].split() == ["2024", "32", "182,2", "ja"]
    assert "Utgangspunkt 01.09.2023: 193. Mål 2035: 93." in waiting
    assert "KOMMUNALE SMÅHUS" in lines
    plan = json.loads(run(tmp_path, "report", "--plan", "--format", "json").stdout)
    assert [t["base"]["value"] for t in plan["targets"]][:2] == [193, 831]
    refused = run(tmp_path, "report", "--plan", "--format", "pdf")
    assert refused.returncode == 2
    assert refused.stderr.strip() == "--format pdf is not one of json, table, csv, xlsx, html"
    workbook = tmp_path / "plan.xlsx"
    written = run(tmp_path, "report", "--plan", "--format", "xlsx", "-o", str(workbook))
    assert written.returncode == 0, written.stderr
    assert workbook.read_bytes()[:2] == b"PK"


def test_a_broken_municipality_file_stops_the_command_with_its_reason(tmp_path: Path) -> None:
    broken = tmp_path / "broken.toml"
    broken.write_text('name = "Testvik"\nnumber = "12"\n', encoding="utf-8")
    result = run(tmp_path, "export", BOLIGSPOR_MUNICIPALITY=str(broken))
    assert result.returncode == 2
    assert "BOLIGSPOR_MUNICIPALITY" in result.stderr and "areas: is missing" in result.stderr


def test_history_shows_the_timeline_with_retraction_marks(tmp_path: Path) -> None:
    assert run(tmp_path, "import", str(SAMPLES / "edge-2017-2025.jsonl")).returncode == 0
    retraction = next(
        json.loads(line)
        for line in (SAMPLES / "edge-2017-2025.jsonl").read_text().splitlines()
        if '"EventRetracted"' in line
    )
    result = run(tmp_path, "history", retraction["case"])
    assert result.returncode == 0, result.stderr
    marked = [line for line in result.stdout.splitlines() if retraction["target"] in line]
    assert marked and "TRUKKET TILBAKE" in marked[0]


def test_an_unknown_case_or_format_is_one_clear_line_and_a_non_zero_exit(tmp_path: Path) -> None:
    unknown = run(tmp_path, "history", "S-NOPE")
    assert unknown.returncode != 0
    assert unknown.stderr.strip() == "case S-NOPE does not exist"
    pdf = run(tmp_path, "report", "--as-of", "2023-09-01", "--format", "pdf")
    assert pdf.returncode == 2
    assert pdf.stderr.strip() == "--format pdf is not one of json, table, csv, xlsx, html"


def test_every_command_has_help(tmp_path: Path) -> None:
    for command in (
        ["--help"],
        ["import", "--help"],
        ["export", "--help"],
        ["report", "--help"],
        ["history", "--help"],
        ["demo", "--help"],
        ["projections", "rebuild", "--help"],
        ["case", "erase", "--help"],
    ):
        result = run(tmp_path, *command)
        assert result.returncode == 0 and "Usage" in result.stdout, command


def test_frozen_figures_are_shown_as_reported_and_late_entries_are_named(tmp_path: Path) -> None:
    assert run(tmp_path, "import", str(SAMPLES / "moss-2023.jsonl")).returncode == 0
    frozen = run(tmp_path, "worker", "--once", "freeze_annual_figures")
    assert frozen.returncode == 0, frozen.stderr
    as_reported = run(tmp_path, "report", "--year", "2025", "--as-reported", "--format", "json")
    current = run(tmp_path, "report", "--year", "2025", "--format", "json")
    assert as_reported.returncode == 0, as_reported.stderr
    assert json.loads(as_reported.stdout) == json.loads(current.stdout)
    case = next(
        json.loads(line)["case"]
        for line in (SAMPLES / "moss-2023.jsonl").read_text().splitlines()
        if '"FollowUpLogged"' in line and '"2025-' in line
    )
    late = tmp_path / "late.jsonl"
    late.write_text(
        json.dumps(
            {
                "id": "late-1",
                "type": "ConcernReported",
                "case": case,
                "on": "2025-06-02",
                "to": "nav",
            }
        )
        + "\n"
    )
    assert run(tmp_path, "import", str(late)).returncode == 0
    changes = run(tmp_path, "report", "--year", "2025", "--changes-since-reported")
    assert changes.returncode == 0, changes.stderr
    assert "concerns.by_recipient.nav" in changes.stdout
    assert "late-1" in changes.stdout


def test_the_annual_html_report_carries_the_monthly_charts(tmp_path: Path) -> None:
    from projections.labels import label

    assert run(tmp_path, "import", str(SAMPLES / "moss-2023.jsonl")).returncode == 0
    page = run(tmp_path, "report", "--year", "2023", "--format", "html")
    assert page.returncode == 0, page.stderr
    assert label("chart.nights_per_month") in page.stdout
    assert label("chart.waiting_list_month_end") in page.stdout
    assert "http://" not in page.stdout and "https://" not in page.stdout


def test_the_annual_workbook_and_the_csv_of_the_command_line(tmp_path: Path) -> None:
    import io

    from openpyxl import load_workbook

    assert run(tmp_path, "import", str(SAMPLES / "moss-2023.jsonl")).returncode == 0
    book_path = tmp_path / "arsrapport.xlsx"
    made = run(tmp_path, "report", "--year", "2023", "--format", "xlsx", "-o", str(book_path))
    assert made.returncode == 0, made.stderr
    book = load_workbook(io.BytesIO(book_path.read_bytes()))
    assert book.sheetnames[0] == "Forside"
    sheet = book["Venteliste per måned"]
    assert len(sheet._charts) == 1
    assert sheet["B15"].value == 158  # December: the annual report's waiting_list.end
    csv_path = tmp_path / "status.csv"
    made = run(tmp_path, "report", "--as-of", "2023-09-01", "--format", "csv", "-o", str(csv_path))
    assert made.returncode == 0, made.stderr
    assert csv_path.read_bytes()[:9] == b"\xef\xbb\xbfTabell"


def test_the_by_name_months_are_shown_as_the_worker_counted_them(tmp_path: Path) -> None:
    assert run(tmp_path, "import", str(SAMPLES / "moss-2023.jsonl")).returncode == 0
    never = run(tmp_path, "report", "--by-name-list", "--year", "2025", "--as-counted")
    counted = run(tmp_path, "worker", "--once", "count_monthly_by_name_list")
    assert counted.returncode == 0, counted.stderr
    year = str(datetime.now(UTC).year)  # the worker counts the ended months of this year
    as_counted = run(
        tmp_path, "report", "--by-name-list", "--year", year, "--as-counted", "--format", "json"
    )
    live = run(tmp_path, "report", "--by-name-list", "--year", year, "--format", "json")
    table = run(
        tmp_path, "report", "--by-name-list", "--year", year, "--as-counted", "--format", "csv"
    )
    alone = run(tmp_path, "report", "--year", year, "--as-counted")

    assert never.returncode == 1 and "no month of 2025 was counted" in never.stderr
    assert as_counted.returncode == 0, as_counted.stderr
    stored = json.loads(as_counted.stdout)
    assert all(month.pop("counted_at") for month in stored["months"])
    assert stored["months"] and stored == json.loads(live.stdout)
    assert table.returncode == 0 and "counted_at" not in table.stdout
    assert alone.returncode == 2 and "--as-counted needs --by-name-list" in alone.stderr
