"""Figures, their baselines and goals, printed one a line and written as JSON."""

from __future__ import annotations

import json
import statistics
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any


@dataclass
class Figure:
    """One measured figure: `value unit`, its baseline in the same run and the goal."""

    name: str
    value: float
    unit: str
    baseline: float | None = None
    goal: str = ""
    met: bool | None = None
    note: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def ratio(self) -> float | None:
        if self.baseline in (None, 0):
            return None
        assert self.baseline is not None
        return self.value / self.baseline

    def line(self) -> str:
        ratio = f" (ratio {self.ratio:.2f} vs baseline {self.baseline:,.1f})" if self.ratio else ""
        verdict = "" if self.met is None else (" goal met" if self.met else " GOAL MISSED")
        goal = f" [{self.goal}{verdict}]" if self.goal else ""
        note = f" — {self.note}" if self.note else ""
        return f"{self.name}: {self.value:,.1f} {self.unit}{ratio}{goal}{note}"

    def as_json(self) -> dict[str, Any]:
        return {**asdict(self), "ratio": self.ratio}


def percentile(samples: list[float], share: float) -> float:
    """The nearest-rank percentile (share in 0..1) of the samples."""
    ordered = sorted(samples)
    rank = max(1, min(len(ordered), round(share * len(ordered) + 0.5)))
    return ordered[rank - 1]


def latencies(prefix: str, samples_ms: list[float], goal_ms: float | None = None) -> list[Figure]:
    """p50 and p99 of the samples, the p99 judged against `goal_ms`."""
    p99 = percentile(samples_ms, 0.99)
    goal = f"p99 ≤ {goal_ms:g} ms" if goal_ms is not None else ""
    extra = {"samples": len(samples_ms), "mean_ms": statistics.fmean(samples_ms)}
    return [
        Figure(f"{prefix} p50", percentile(samples_ms, 0.5), "ms", extra=extra),
        Figure(
            f"{prefix} p99",
            p99,
            "ms",
            goal=goal,
            met=None if goal_ms is None else p99 <= goal_ms,
            extra=extra,
        ),
    ]


def write(path: Path, meta: dict[str, Any], figures: list[Figure]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    body = {"meta": meta, "figures": [f.as_json() for f in figures]}
    path.write_text(json.dumps(body, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
