"""Writing events: one, or a batch stored all or nothing."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, status

from api import examples, writing
from api.dependencies import RawBody, ServicesDep, Writer
from api.models import EventIn, EventsStored, EventStored
from api.responses import errors

router = APIRouter(prefix="/api", tags=["hendelser"])

EVENT_SCHEMA = EventIn.model_json_schema()


def _body(schema: dict[str, Any], example: Any, summary: str) -> dict[str, Any]:
    return {
        "requestBody": {
            "required": True,
            "content": {
                "application/json": {
                    "schema": schema,
                    "examples": {"sample": {"summary": summary, "value": example}},
                }
            },
        }
    }


@router.post(
    "/events",
    status_code=status.HTTP_201_CREATED,
    responses=errors(403, 409, 422),
    openapi_extra=_body(EVENT_SCHEMA, examples.FOLLOW_UP, "A follow-up visit (tests/samples)"),
)
def post_event(services: ServicesDep, user: Writer, body: RawBody) -> EventStored:
    """Log one event (docs/events.md); the same event sent again answers alike, storing nothing."""
    return EventStored(id=writing.submit_one(services, user, body))


@router.post(
    "/events:batch",
    status_code=status.HTTP_201_CREATED,
    responses=errors(403, 409, 422),
    openapi_extra=_body(
        {"type": "array", "items": EVENT_SCHEMA, "minItems": 1, "maxItems": writing.MAX_BATCH},
        examples.BATCH,
        "A case opened and a hotel stay (tests/samples)",
    ),
)
def post_events(services: ServicesDep, user: Writer, body: RawBody) -> EventsStored:
    """Log a list of events, all or nothing: one refused event refuses the whole list."""
    return EventsStored(ids=writing.submit_batch(services, user, body))
