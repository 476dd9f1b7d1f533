"""A form that was not saved, ready to be drawn again: what was typed, and each message beside
the input at fault (or above the form, when no input is)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from api.errors import Reading, explain_refusals
from api.pages.form_fields import Field
from api.pages.forms import FormInvalid
from api.pages.texts import text
from domain.application import Refused


@dataclass(frozen=True)
class Failed:
    """A refused form: its slug and event id, the values typed, and the messages."""

    slug: str
    event_id: str
    values: Mapping[str, str]
    faults: Mapping[str, str] = field(default_factory=dict)  # input name -> message
    message: str | None = None  # for the form as a whole

    def value(self, name: str) -> str:
        return self.values.get(name, "")


def _kept(posted: Mapping[str, str]) -> dict[str, str]:
    return {k: v for k, v in posted.items() if k not in ("csrf", "event_id")}


def failed_form(
    slug: str, event_id: str, posted: Mapping[str, str], invalid: FormInvalid
) -> Failed:
    """A form the page itself could not read (an input left empty or holding no number)."""
    faults = {name: text(key) for name, key in invalid.faults.items()}
    return Failed(slug, event_id, _kept(posted), faults, text("form.fix_marked"))


def input_at_fault(name: str | None, fields: Sequence[Field]) -> str | None:
    """The input a refusal's field names: itself, or the part of a shape it is."""
    if not name:
        return None
    names = {item.name for item in fields}
    for candidate in (name, f"person.{name}", f"household.{name}"):
        if candidate in names:
            return candidate
    tail = name.rsplit(".", 1)[-1]
    matching = [n for n in names if n.rsplit(".", 1)[-1] == tail]
    return matching[0] if len(matching) == 1 else None


def refused_form(
    slug: str,
    event_id: str,
    posted: Mapping[str, str],
    refused: Refused,
    fields: Sequence[Field],
    reading: Reading | None,
) -> Failed:
    """A form the write path refused: each refusal's message beside its input (a dwelling
    named by its address, as the read models know it)."""
    faults: dict[str, str] = {}
    general: list[str] = []
    for explained in explain_refusals(reading, refused):
        message, name = explained.message, explained.field
        where = input_at_fault(name, fields)
        if where is None:
            general.append(message)
        else:
            faults[where] = message
    shown = " ".join(general) if general else text("form.fix_marked")
    return Failed(slug, event_id, _kept(posted), faults, f"{text('form.not_saved')} {shown}")
