"""A case page's form drawn open and filled in from its address: the allocation page's link
to the settlement form (issue 13). Nothing is stored: the person still sends the form."""

from __future__ import annotations

from typing import Any

from fastapi import Request

from api.pages.forms import FormSpec


def prefilled(request: Request, forms: list[FormSpec]) -> dict[str, Any]:
    """The form the address names (`skjema`, its event type or slug) and
    the values it gives for that form's fields, drawn filled in (the allocation page links
    `?skjema=Settled&dwelling=REF&on=DAY&tenure=municipal_rental`). Nothing is stored: the
    person still sends the form."""
    asked = request.query_params.get("skjema", "")
    form = next((f for f in forms if asked in (f.event_type, f.slug)), None)
    if form is None:
        return {"prefill_form": None, "prefill": {}}
    given = {
        item.name: value
        for item in form.fields
        if (value := request.query_params.get(item.name, "").strip())
    }
    return {"prefill_form": form.slug, "prefill": given}
