"""A refused event explained to a person: its stable code, the field at fault and the message.

A minimal stand-in with the signature the pages use; the messages work replaces it with the
Norwegian text of every rule.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from domain.errors import DomainError


@dataclass(frozen=True)
class Explained:
    code: str
    field: str | None
    message: str
    params: dict[str, Any] = dataclasses.field(default_factory=dict)


def explain(error: DomainError, lang: str = "nb") -> Explained:
    """What went wrong, for a person reading `lang`."""
    return Explained(
        code=error.rule,
        field=getattr(error, "field", None),
        message=error.message,
        params=dict(error.params),
    )
