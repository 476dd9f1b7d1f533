"""A person's message for every refusal: the rule's stable name, the field at fault and a
Norwegian sentence from the label catalogue (`refusal.<rule>` in projections/labels.py).

`explain(error)` takes any DomainError (a broken rule of domain/rules.py, a format check of
domain/payloads/checks.py, an unknown case or dwelling, a duplicate, an erased case, a refused
user ...) and fills the sentence's parameters in plain words: dates as d.m.yyyy, a dwelling by
its address where the caller knows it (`addresses`, ref -> address; `dwelling_refs` says which
refs to look up), otherwise as «bolig B-1», value codes and event types by their labels. Internal
refs of stays and complaints are never named; the submitted value of a field is never quoted
(only its length), so the message may go back over HTTP as it is.

Longer than 300 lines because it is one table of words: each rule's field and the way each kind
of parameter is named, side by side.
"""

from __future__ import annotations

import re
import string
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from domain.errors import DomainError, InvalidEvent, RuleBroken
from domain.submissions import Refused
from projections.labels import CATALOGUES, DEFAULT_LANGUAGE, has_label, label


@dataclass(frozen=True)
class Explained:
    """A refusal as a person reads it: `code` the stable rule name, `field` the field at fault
    (a dotted path such as `household.adults`, or None when the event as a whole is refused),
    `message` the Norwegian sentence, `params` the rule's facts (dates as YYYY-MM-DD)."""

    code: str
    field: str | None
    message: str
    params: dict[str, Any]


# The payload field each broken rule points at (None: the event as a whole, shown above a form).
RULE_FIELDS: dict[str, str | None] = {
    "case_exists": "case",
    "case_not_open_yet": "on",
    "case_closed": "on",
    "case_not_closed": None,
    "application_pending": None,
    "appeal_pending": None,
    "already_on_waiting_list": None,
    "no_application_pending": None,
    "nothing_to_appeal": None,
    "no_appeal_pending": None,
    "stay_still_open": "stay",
    "stay_exists": "stay",
    "stay_not_started": "stay",
    "stay_not_open": "stay",
    "already_settled": None,
    "not_settled": None,
    "complaint_exists": "complaint",
    "complaint_already_closed": "complaint",
    "complaint_unknown": "complaint",
    "already_enrolled": None,
    "not_enrolled": None,
    "nothing_to_withdraw": None,
    "settled_under_managed_tenure": None,
    "enrolled_in_housing_first": None,
    "retraction_target_unknown": "target",
    "not_retractable": "target",
    "already_retracted": "target",
    "retraction_breaks_history": "target",
    "conflicts_with_history": "on",
    "dwelling_already_registered": "dwelling",
    "dwelling_not_registered": "dwelling",
    "dwelling_not_yet_registered": "on",
    "dwelling_retired": "dwelling",
    "dwelling_already_retired": "dwelling",
    "tenure_needs_municipal_dwelling": "dwelling",
    "tenure_needs_referral_dwelling": "dwelling",
    "dwelling_occupied": "dwelling",
    "dwelling_held_at_retirement": "on",
}
# The field of the other kinds of refusal.
KIND_FIELDS: dict[str, str] = {
    "unknown_case": "case",
    "unknown_dwelling": "dwelling",
    "duplicate_conflict": "id",
    "case_erased": "case",
}
DATE_PARAMS = frozenset({"on", "since", "start", "end", "retired_on", "registered_on", "today"})
# Rules whose low/high/got are dates rather than numbers.
DATE_RULES = frozenset({"date_too_early", "date_too_late", "date_in_future", "not_after"})
# The value set of the field a combination rule names (domain/records.py `_check_combinations`).
WHEN_VALUE_SETS = {"decision": "decision", "outcome": "appeal_outcome", "tenure": "tenure"}
NATIONAL_ID_PROBLEMS = {
    "must be 11 digits": "digits",
    "first control digit (mod 11) is wrong": "first_control",
    "second control digit (mod 11) is wrong": "second_control",
    "the embedded birth date is not a real date": "birth_date",
}
# An unknown key is named back only when it looks like a key name (no value typed in its place).
KEY_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,39}")
DIGIT_RUN = re.compile(r"\d{8}")
LENGTH_RULES = frozenset({"too_short", "too_long"})


def explain(
    error: DomainError, lang: str = DEFAULT_LANGUAGE, *, addresses: Mapping[str, str] | None = None
) -> Explained:
    """The refusal as a person reads it (see the module docstring)."""
    if isinstance(error, Refused) and len(error.refusals) == 1:
        inner = error.refusals[0].error
        if inner is not None:
            return explain(inner, lang, addresses=addresses)
    rule = _rule_of(error, lang)
    where = _field_of(error, rule)
    words = _Words(lang, addresses or {})
    try:
        message = _fill(label(f"refusal.{rule}", lang), words.of(rule, where, error))
    except (KeyError, IndexError, TypeError, ValueError):
        # A rule raised without the parameters domain/rules.py names: its kind's message.
        message = _fill(label(f"refusal.{_kind_of(error)}", lang), {})
    return Explained(code=rule, field=where, message=message, params=_shown(rule, error.params))


def rule_message(rule: str, params: Mapping[str, Any], lang: str = DEFAULT_LANGUAGE) -> str:
    """The message of a rule with these parameters (a rule named inside another's `breaks`)."""
    return explain(RuleBroken("", rule=rule, **params), lang).message


def dwelling_refs(error: DomainError) -> list[str]:
    """The dwelling refs the message of `error` names, to look their addresses up."""
    found: list[str] = []

    def collect(params: Mapping[str, Any]) -> None:
        if isinstance(params.get("dwelling"), str):
            found.append(params["dwelling"])
        for _event, _rule, inner in params.get("breaks") or ():
            collect(inner)

    errors = [r.error for r in error.refusals] if isinstance(error, Refused) else [error]
    for each in errors:
        if each is not None:
            collect(each.params)
    return sorted(set(found))


def plain(value: Any) -> Any:
    """Parameters as JSON: dates as YYYY-MM-DD, tuples as lists, the breaks as objects."""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(k): _breaks(v) if k == "breaks" else plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    return value


def _breaks(value: Any) -> list[dict[str, Any]]:
    return [
        {"event": event, "code": rule, "params": plain(params)} for event, rule, params in value
    ]


def _shown(rule: str, params: Mapping[str, Any]) -> dict[str, Any]:
    """The parameters without a submitted value: `got` only as a length, an unknown key only
    when it looks like a key name."""
    shown = {
        k: v
        for k, v in params.items()
        if not (k == "got" and rule not in LENGTH_RULES)
        and not (k == "key" and rule == "unknown_field" and not _key_like(v))
    }
    result: dict[str, Any] = plain(shown)
    return result


def _key_like(key: Any) -> bool:
    return isinstance(key, str) and bool(KEY_NAME.fullmatch(key)) and not DIGIT_RUN.search(key)


def _rule_of(error: DomainError, lang: str) -> str:
    for name in (error.rule, error.code):
        if name and has_label(f"refusal.{name}", lang):
            return name
    return "refused"


def _kind_of(error: DomainError) -> str:
    for kind in type(error).__mro__:
        code = getattr(kind, "code", None)
        if isinstance(code, str) and has_label(f"refusal.{code}"):
            return code
    return "refused"


def _field_of(error: DomainError, rule: str) -> str | None:
    if isinstance(error, InvalidEvent):
        if error.field is None and rule == "not_an_object":
            return None if error.params.get("shape") == "event" else error.params.get("shape")
        return error.field
    if isinstance(error, RuleBroken):
        return RULE_FIELDS.get(rule)
    return KIND_FIELDS.get(error.code)


def _fill(template: str, words: Mapping[str, str]) -> str:
    names = {name for _, name, _, _ in string.Formatter().parse(template) if name}
    missing = names - set(words)
    if missing:
        raise KeyError(f"{template!r} needs {sorted(missing)}")
    text = template.format_map(words)
    return text[:1].upper() + text[1:]


class _Words:
    """The parameters of one language's messages, in plain words."""

    def __init__(self, lang: str, addresses: Mapping[str, str]) -> None:
        self.lang = lang
        self.addresses = addresses

    def word(self, name: str, /, **params: Any) -> str:
        return label(f"refusal.{name}", self.lang).format(**params)

    def day(self, value: Any) -> str:
        if isinstance(value, str):
            try:
                value = date.fromisoformat(value)
            except ValueError:
                return str(value)
        if isinstance(value, date):
            return f"{value.day}.{value.month}.{value.year}"
        return str(value)

    def field(self, name: str | None) -> str:
        key = f"field.{name}"
        if name is not None and has_label(f"refusal.{key}", self.lang):
            return self.word(key)
        last = (name or "").rsplit(".", 1)[-1]
        if last and has_label(f"refusal.field.{last}", self.lang):
            return self.word(f"field.{last}")
        return self.word("field.other")

    def dwelling(self, ref: Any) -> str:
        if not isinstance(ref, str):
            return self.word("field.dwelling")
        address = self.addresses.get(ref)
        if address:
            return self.word("dwelling_at", address=address)
        return self.word("dwelling_ref", ref=ref)

    def code(self, value_set: str, code: Any) -> str:
        key = f"{value_set}.{code}"
        return label(key, self.lang) if has_label(key, self.lang) else str(code)

    def options(self, options: Any) -> str:
        codes = [str(o) for o in options or ()]
        catalogue = CATALOGUES.get(self.lang, CATALOGUES[DEFAULT_LANGUAGE])
        prefixes = {key.rsplit(".", 1)[0] for key in catalogue if "." in key}
        for prefix in sorted(prefixes):
            if codes and all(f"{prefix}.{c}" in catalogue for c in codes):
                return ", ".join(catalogue[f"{prefix}.{c}"] for c in codes)
        return ", ".join(codes)

    def key_named(self, key: Any) -> str:
        if _key_like(key):
            return self.word("named_key", key=key)
        return self.word("unknown_key")

    def breaks(self, breaks: Any) -> tuple[str, str]:
        found = list(breaks or ())
        if not found:
            return "", ""
        _event, rule, params = found[0]
        first = explain(RuleBroken("", rule=rule, **params), self.lang, addresses=self.addresses)
        more = self.word("more_breaks", count=len(found) - 1) if len(found) > 1 else ""
        return first.message, more

    def of(self, rule: str, where: str | None, error: DomainError) -> dict[str, str]:
        """Every word a message of `rule` may name, from the error's parameters."""
        params = error.params
        words: dict[str, str] = {}
        for key, value in params.items():
            dated = key in DATE_PARAMS or (rule in DATE_RULES and key in ("low", "high", "got"))
            words[key] = self.day(value) if dated else str(value)
        words["field"] = self.field(where if where is not None else params.get("shape"))
        if "key" in params:
            words["key"] = self.field(str(params["key"]))
        if rule == "unknown_field":
            words["key"] = self.key_named(params.get("key"))
            kind = params.get("type")
            words["kind"] = (
                f"«{self.code('event', kind)}»" if isinstance(kind, str) else self.word("this_part")
            )
        if "when" in params:
            when = str(params["when"])
            words["when"] = self.field(when)
            words["value"] = self.code(WHEN_VALUE_SETS.get(when, when), params.get("value"))
        if "after" in params:
            words["after"] = self.field(str(params["after"]))
        if "options" in params:
            words["options"] = self.options(params["options"])
        if "problem" in params:
            problem = NATIONAL_ID_PROBLEMS.get(str(params["problem"]), "other")
            words["problem"] = self.word(f"national_id.{problem}")
        if "dwelling" in params:
            words["dwelling"] = self.dwelling(params["dwelling"])
        if "tenure" in params:
            words["tenure"] = self.code("tenure", params["tenure"])
        if "category" in params:
            words["category"] = self.code("category", params["category"])
        if "target_type" in params:
            words["target_type"] = self.code("event", params["target_type"])
        if "ended_by" in params:
            how = f"ended_by.{params['ended_by']}"
            words["ended_by"] = (
                self.word(how)
                if has_label(f"refusal.{how}", self.lang)
                else str(params["ended_by"])
            )
        if "start" in params:
            end = params.get("end")
            start = self.day(params["start"])
            words["period"] = (
                self.word("period_open", start=start)
                if end is None
                else self.word("period_closed", start=start, end=self.day(end))
            )
        if "breaks" in params:
            words["first"], words["more"] = self.breaks(params["breaks"])
        if rule == "user_refused":
            words["reason"] = error.message
        return words
