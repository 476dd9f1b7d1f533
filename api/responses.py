"""The error answers each route documents, in the one error body."""

from __future__ import annotations

from typing import Any

from api.models import ErrorBody

DESCRIPTIONS = {
    401: "Ingen gyldig tilgangsnøkkel",
    403: "Rollen eller teamet gir ikke tilgang",
    404: "Finnes ikke",
    409: "Hendelses-ID-en er lagret med annet innhold",
    422: "Avvist av hendelsesreglene, eller ugyldig parameter",
    503: "Databasen er utilgjengelig (se Retry-After)",
}


def errors(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """`responses=` for a route: the given statuses plus 401 and 503, all as ErrorBody."""
    wanted = sorted({401, 503, *statuses})
    return {status: {"model": ErrorBody, "description": DESCRIPTIONS[status]} for status in wanted}
