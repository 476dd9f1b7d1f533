"""A case's timeline as the case page shows it: newest first by business date, each entry with
who recorded it and when, its fields in words, and retractions marked with their reason."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from api.pages.state import norwegian_date, norwegian_time
from api.pages.texts import code, text
from domain.application import HistoryItem
from domain.refs import escaped_text

NOT_RETRACTABLE = ("CaseOpened", "EventRetracted")

# Which value set a field's code belongs to; per event type where the same name means more.
VALUE_SETS: dict[str, str | dict[str, str]] = {
    "kind": {"FollowUpLogged": "follow_up_kind", "TemporaryStayStarted": "stay_kind"},
    "outcome": {"AppealDecided": "appeal_outcome", "ComplaintClosed": "complaint_outcome"},
    "reason": {
        "MovedOut": "move_out_reason",
        "HousingFirstEnded": "housing_first_end_reason",
        "Withdrawn": "withdrawal_reason",
    },
    "team": "team",
    "category": "complaint_category",
    "source": "complaint_source",
    "to": "concern_recipient",
    "decision": "decision",
    "priority": "priority",
    "tenure": "tenure",
    "group": "group",
    "situation": "situation",
}
FIELD_TEXT = {"note": "detail.note", "place": "detail.place"}


@dataclass(frozen=True)
class Entry:
    """One timeline entry, ready to draw."""

    event_id: str
    event_type: str
    title: str
    on: str
    by: str
    recorded_at: str
    details: tuple[tuple[str, str], ...]
    retracted: bool
    retraction_reason: str | None
    can_retract: bool


def describe(event_type: str, name: str, value: Any) -> str:
    """A field's value in words."""
    value_set = VALUE_SETS.get(name)
    if isinstance(value_set, dict):
        value_set = value_set.get(event_type)
    if value_set and isinstance(value, str):
        return code(value_set, value)
    if name == "household" and isinstance(value, Mapping):
        return (
            f"{value.get('adults', 0)} {text('case.adults')}, "
            f"{value.get('children', 0)} {text('case.children')}"
        )
    if name == "person" and isinstance(value, Mapping):
        return str(value.get("name", ""))
    if name == "lease_until":
        return norwegian_date(str(value))
    return str(value)


def field_title(name: str) -> str:
    key = FIELD_TEXT.get(name, f"field.{name}")
    try:
        return text(key)
    except KeyError:
        return name


def timeline(
    items: Sequence[HistoryItem], zone: ZoneInfo, *, may_retract: bool, author: str | None = None
) -> list[Entry]:
    """The entries, newest business date first (ties: latest recorded first); with `author`,
    only the entries that user logged can be retracted (a field user's own)."""
    ordered = sorted(enumerate(items), key=lambda pair: (pair[1].record.on, pair[0]), reverse=True)
    titles = {
        item.record.id: f"{code('event', item.record.type)} {norwegian_date(item.record.on)}"
        for item in items
    }
    named = _named_refs(items)
    entries = []
    for _, item in ordered:
        record = item.record
        shown: dict[str, Any] = {**record.fields, **record.personal}
        if record.dwelling:
            shown["dwelling"] = record.dwelling
        if record.type == "CaseOpened":
            shown.pop("person", None)
        if "target" in shown:
            shown["target"] = titles.get(str(shown["target"]), shown["target"])
        for name in ("stay", "complaint"):  # internal refs: named as a person names them
            if name in shown:
                shown[name] = named.get(str(shown[name]), "")
                if record.type in ("TemporaryStayStarted", "ComplaintReceived"):
                    del shown[name]
        details = tuple(
            (field_title(name), escaped_text(describe(record.type, name, value), "\n\t"))
            for name, value in shown.items()
        )
        retracted = item.retracted_by is not None
        entries.append(
            Entry(
                event_id=record.id,
                event_type=record.type,
                title=code("event", record.type),
                on=norwegian_date(record.on),
                by=escaped_text(record.by or ""),
                recorded_at=norwegian_time(item.recorded_at, zone),
                details=details,
                retracted=retracted,
                retraction_reason=item.retraction_reason,
                can_retract=may_retract
                and not retracted
                and record.type not in NOT_RETRACTABLE
                and (author is None or record.by == author),
            )
        )
    return entries


def _named_refs(items: Sequence[HistoryItem]) -> dict[str, str]:
    """A stay's and a complaint's ref in words: the kind and start, the date and category."""
    out: dict[str, str] = {}
    for item in items:
        record = item.record
        if record.type == "TemporaryStayStarted":
            kind = code("stay_kind", str(record.fields.get("kind")))
            out[str(record.fields.get("stay"))] = f"{kind}, {norwegian_date(record.on)}"
        if record.type == "ComplaintReceived":
            category = code("complaint_category", str(record.fields.get("category")))
            out[str(record.fields.get("complaint"))] = f"{norwegian_date(record.on)} · {category}"
    return out
