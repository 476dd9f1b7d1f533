"""Alerts raised by the workers, shown beside the flags the pages compute themselves.

The workers' `open_alerts(store, team=None)` is used when that module is installed (given a
read-model transaction); each alert is read for its case ref and its Norwegian text.
"""

from __future__ import annotations

import importlib
from typing import Any

from projections.db import Transaction

CASE_ATTRIBUTES = ("case_ref", "case")
TEXT_ATTRIBUTES = ("message", "text", "label", "title", "kind")


def _first(alert: Any, names: tuple[str, ...]) -> str | None:
    for name in names:
        value = alert.get(name) if isinstance(alert, dict) else getattr(alert, name, None)
        if isinstance(value, str) and value:
            return value
    return None


def alerts_by_case(tx: Transaction, team: str | None) -> dict[str, list[str]]:
    """Open alerts per case ref (empty when the workers offer none)."""
    try:
        module = importlib.import_module("workers.alerts")
    except ImportError:
        return {}
    open_alerts = getattr(module, "open_alerts", None)
    if not callable(open_alerts):
        return {}
    found: dict[str, list[str]] = {}
    for alert in open_alerts(tx, team=team):
        ref, words = _first(alert, CASE_ATTRIBUTES), _first(alert, TEXT_ATTRIBUTES)
        if ref is not None and words is not None:
            found.setdefault(ref, []).append(words)
    return found
