"""Stored values as read models may hold them: what a backend cannot store or a person cannot
see is written out as its code point.

The event rules refuse such characters (docs/refs.md), but a store written before they did may
hold them: a NUL that a PostgreSQL text column cannot take, a zero-width space or a bidi control
that makes two refs look alike. Every change is escaped once, on its way into the read models,
so that catch-up, the read models and everything shown from them work whatever the store holds.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from domain.changes import Change
from domain.refs import FREE_TEXT_CONTROLS, escaped_text

# Keys whose values are refs or ids: nothing hidden in them is kept, newline and tab neither.
ID_KEYS = frozenset({"id", "case", "dwelling", "stay", "complaint", "target", "by"})


def _controls(key: str) -> str:
    return "" if key in ID_KEYS else FREE_TEXT_CONTROLS


def _escaped(key: str, value: Any) -> Any:
    if isinstance(value, str):
        return escaped_text(value, _controls(key))
    if isinstance(value, Mapping):
        return {inner: _escaped(inner, item) for inner, item in value.items()}
    if isinstance(value, list):
        return [_escaped(key, item) for item in value]
    return value


SCALARS = (int, bool, float, type(None))


def _printable(event: Mapping[str, Any]) -> bool:
    """Whether every string of the event is printable (no newline either): the common case,
    checked in C and without building anything (catch-up runs this on every change)."""
    for value in event.values():
        kind = type(value)
        if kind is str:
            if not value.isprintable():
                return False
        elif kind not in SCALARS and not (isinstance(value, Mapping) and _printable(value)):
            return False
    return True


def escaped_change(change: Change) -> Change:
    """The change with its ref and every string of its event escaped (itself when clean)."""
    if change.ref.isprintable() and _printable(change.event):
        return change
    event = {key: _escaped(key, value) for key, value in change.event.items()}
    return replace(change, ref=escaped_text(change.ref), event=event)
