"""The forms of the pages, one per event type of docs/events.md: who may use each, when the
case allows it, and how a posted form becomes one event.

The inputs come from the payload declarations (api/pages/form_fields.py); who may log a type
is the roles' table (`FIELD_EVENT_TYPES`); when a form is offered is read from the case's state
(`CaseState`), so that a form offers only what can be logged now.

Every form carries an event id made when the page was drawn. Sending the same form again (the
answer was lost on a weak network) sends the same id and the same content, which the write
path stores once. Refs the form makes (a stay's, a complaint's, a new case's) are derived from
that id, so a resent form has the same content too.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from api.pages.form_fields import MADE_BY_PAGE, Field, inputs
from api.users import FIELD_EVENT_TYPES
from domain import values as v
from domain.case_rules import CaseState

FIELD_USER = "field"
CASE_WORKER = "caseworker"
BOTH = (FIELD_USER, CASE_WORKER)

# When the case, as its history leaves it now, lets each event type be logged.
WHEN: dict[str, Callable[[CaseState], bool]] = {
    "ApplicationReceived": lambda s: not (s.application_pending or s.appeal_pending or s.waiting),
    "ApplicationDecided": lambda s: s.application_pending,
    "AppealReceived": lambda s: s.appealable and not s.appeal_pending,
    "AppealDecided": lambda s: s.appeal_pending,
    "TemporaryStayStarted": lambda s: s.open_stay is None,
    "TemporaryStayEnded": lambda s: s.open_stay is not None,
    "Settled": lambda s: s.settled is None,
    "LeaseRenewed": lambda s: s.settled is not None,
    "MovedOut": lambda s: s.settled is not None,
    "ComplaintClosed": lambda s: any(s.complaints.values()),
    "HousingFirstEnrolled": lambda s: not s.enrolled,
    "HousingFirstEnded": lambda s: s.enrolled,
    "Withdrawn": lambda s: s.waiting or s.application_pending or s.appeal_pending,
    "CaseClosed": lambda s: (
        not s.enrolled and not (s.settled is not None and s.settled.tenure in v.MANAGED_TENURES)
    ),
}


@dataclass(frozen=True)
class FormSpec:
    """A form that logs one event type."""

    slug: str
    event_type: str
    title_key: str

    @property
    def fields(self) -> tuple[Field, ...]:
        return inputs(self.event_type)

    @property
    def audience(self) -> tuple[str, ...]:
        return BOTH if self.event_type in FIELD_EVENT_TYPES else (CASE_WORKER,)

    def fits(self, state: CaseState) -> bool:
        """Whether the case lets this form's event be logged now."""
        if state.closed:
            return self.event_type == "CaseReopened"
        if self.event_type == "CaseReopened":
            return False
        allowed = WHEN.get(self.event_type)
        return allowed is None or allowed(state)


# The case page's forms, in the order a case worker meets them; then the others.
FORMS: tuple[FormSpec, ...] = (
    FormSpec("oppfolging", "FollowUpLogged", "form.follow_up"),
    FormSpec("naboklage", "ComplaintReceived", "form.complaint"),
    FormSpec("naboklage-avsluttet", "ComplaintClosed", "form.complaint_closed"),
    FormSpec("bekymring", "ConcernReported", "form.concern"),
    FormSpec("opphold-start", "TemporaryStayStarted", "form.stay_start"),
    FormSpec("opphold-slutt", "TemporaryStayEnded", "form.stay_end"),
    FormSpec("soknad", "ApplicationReceived", "form.application"),
    FormSpec("vedtak", "ApplicationDecided", "form.decision"),
    FormSpec("klage", "AppealReceived", "form.appeal"),
    FormSpec("klagevedtak", "AppealDecided", "form.appeal_decision"),
    FormSpec("bosetting", "Settled", "form.settled"),
    FormSpec("fornyelse", "LeaseRenewed", "form.lease_renewed"),
    FormSpec("utflytting", "MovedOut", "form.moved_out"),
    FormSpec("housing-first-start", "HousingFirstEnrolled", "form.housing_first_enrolled"),
    FormSpec("housing-first-slutt", "HousingFirstEnded", "form.housing_first_ended"),
    FormSpec("gruppe", "GroupChanged", "form.group_changed"),
    FormSpec("husstand", "HouseholdChanged", "form.household_changed"),
    FormSpec("bosituasjon", "SituationChanged", "form.situation_changed"),
    FormSpec("trukket", "Withdrawn", "form.withdrawn"),
    FormSpec("avslutt", "CaseClosed", "form.case_closed"),
    FormSpec("gjenapne", "CaseReopened", "form.case_reopened"),
)
FORMS_BY_SLUG: dict[str, FormSpec] = {form.slug: form for form in FORMS}
# The forms of other pages: «Ny sak», and the dwelling register's.
CASE_OPENED = FormSpec("ny-sak", "CaseOpened", "form.case_opened")
FIRST_CONTACT = FormSpec("forste-kontakt", "FollowUpLogged", "form.first_contact")
DWELLING_REGISTERED = FormSpec("registrer-bolig", "DwellingRegistered", "form.dwelling_registered")
DWELLING_RETIRED = FormSpec("avvikle-bolig", "DwellingRetired", "form.dwelling_retired")


class FormInvalid(ValueError):
    """Raised when a posted form lacks a required field or holds a value it cannot; `faults`
    maps each input at fault to the page text that says what is wrong."""

    def __init__(self, faults: Mapping[str, str]) -> None:
        super().__init__(", ".join(faults))
        self.faults = dict(faults)


@dataclass(frozen=True)
class Choice:
    """One thing to pick: the value sent, and the words a person reads. A stored ref that
    holds a character no page may show (a store written before the text rules) is sent written
    out (`domain.refs.escaped_text`), and `ref` keeps the ref itself."""

    value: str
    label: str
    ref: str | None = None


# The things a form's picks offer: input kind -> choices (open stay, open complaints).
Choices = Mapping[str, Sequence[Choice]]
# Finds the dwelling a person picked (by ref, by address, or "address (ref)"), None if none.
DwellingFinder = Callable[[str], str | None]


def new_event_id() -> str:
    """A fresh event id for a form about to be drawn."""
    return f"web-{uuid.uuid4().hex}"


def derived_ref(prefix: str, event_id: str) -> str:
    """A stay or complaint ref made from the event id, so a resent form has the same one."""
    return f"{prefix}-{event_id.removeprefix('web-')[:12]}"


def new_case_ref(event_id: str, year: int) -> str:
    """The ref of a case opened from the pages, made from the form's event id: S-2026-3F9A1C."""
    return f"S-{year}-{event_id.removeprefix('web-')[:6].upper()}"


def event_from_form(
    spec: FormSpec,
    subject: Mapping[str, str],
    event_id: str,
    posted: Mapping[str, str],
    *,
    team: str | None = None,
    choices: Choices | None = None,
    find_dwelling: DwellingFinder | None = None,
) -> dict[str, Any]:
    """The event a posted form stands for (checked again by the write path); `subject` is
    {"case": ref} or {"dwelling": ref}. Raises FormInvalid naming every input at fault."""
    event: dict[str, Any] = {"id": event_id, "type": spec.event_type, **subject}
    faults: dict[str, str] = {}
    for item in spec.fields:
        raw = typed(posted.get(item.name, ""))
        if not raw:
            if item.required:
                faults[item.name] = "form.required"
            continue
        try:
            value = _value(item, raw, choices or {}, find_dwelling)
        except FormInvalid as invalid:
            faults.update(invalid.faults)
            continue
        head, _, part = item.name.partition(".")
        if part:
            event.setdefault(head, {})[part] = value
        else:
            event[head] = value
    if faults:
        raise FormInvalid(faults)
    for where, prefix in MADE_BY_PAGE.items():
        kind, _, name = where.partition(".")
        if kind == spec.event_type:
            event[name] = derived_ref(prefix, event_id)
    if spec.event_type == "FollowUpLogged":
        event["team"] = team
    return event


def typed(raw: str) -> str:
    """What the person typed: trimmed, and a browser's CRLF line ends as the newlines free text
    holds (docs/refs.md)."""
    return raw.replace("\r\n", "\n").replace("\r", "\n").strip()


def _value(item: Field, raw: str, choices: Choices, find_dwelling: DwellingFinder | None) -> Any:
    if item.kind == "number":
        try:
            return int(raw)
        except ValueError:
            raise FormInvalid({item.name: "form.not_a_number"}) from None
    if item.kind == "national_id":
        return "".join(raw.split())
    if item.kind == "dwelling":
        found = find_dwelling(raw) if find_dwelling is not None else None
        if found is None:
            raise FormInvalid({item.name: "form.unknown_dwelling"})
        return found
    picks = {choice.value: choice.ref or choice.value for choice in choices.get(item.kind, ())}
    if item.kind in ("open_stay", "open_complaint"):
        if raw not in picks:
            raise FormInvalid({item.name: "form.pick_one"})
        return picks[raw]
    return raw


def retraction(case_ref: str, event_id: str, on: str, target: str, reason: str) -> dict[str, Any]:
    """The EventRetracted a retraction form stands for."""
    if not reason.strip():
        raise FormInvalid({"reason": "form.required"})
    return {
        "id": event_id,
        "type": "EventRetracted",
        "case": case_ref,
        "on": on,
        "target": target,
        "reason": typed(reason),
    }
