"""The benchmark harness runs end to end at a tiny scale (the figures themselves are not
judged here: docs/performance.md holds them)."""

from __future__ import annotations

import json
from pathlib import Path

from bench.__main__ import main


def test_the_harness_runs_at_a_tiny_scale_and_writes_its_figures(tmp_path: Path) -> None:
    out = tmp_path / "tiny.json"
    argv = ["--scale", "tiny", "--quick", "--backend", "sqlite", "--http-seconds", "1"]
    argv += ["--data-dir", str(tmp_path / "data"), "--out", str(out)]

    assert main(argv) == 0

    written = json.loads(out.read_text(encoding="utf-8"))
    names = [figure["name"] for figure in written["figures"]]
    assert any(name.startswith("sqlite import") for name in names)
    assert any(name.startswith("sqlite projection catch-up") for name in names)
    assert any(name.startswith("sqlite HTTP single event") for name in names)
    assert any(name.startswith("sqlite status report") for name in names)
    assert any(name.startswith("sqlite case history") for name in names)
    pages = [f for f in written["figures"] if f["name"].startswith("sqlite page ")]
    assert any("page cases (Saker, page 10)" in f["name"] for f in pages)
    assert all(f["baseline"] for f in pages if "baseline" not in f["name"])
    assert all(figure["value"] > 0 for figure in written["figures"])
