"""Dwellings: the register, with whether someone lives there today."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query

from api.dependencies import MAX_OFFSET, DwellingReader, FreshServices
from api.dwelling_views import list_dwellings, one_dwelling
from api.errors import NotFound
from api.models import DwellingOut, DwellingPage
from api.responses import errors
from domain.refs import CODE_REGEX, REF_REGEX, REF_RULE
from domain.values import CATEGORIES

router = APIRouter(prefix="/api/dwellings", tags=["boliger"])


@router.get("", responses=errors(403, 422))
def get_dwellings(
    services: FreshServices,
    user: DwellingReader,
    category: Annotated[
        str | None, Query(pattern=CODE_REGEX, description=f"one of {', '.join(CATEGORIES)}")
    ] = None,
    district: Annotated[
        str | None,
        Query(
            pattern=CODE_REGEX, description="a school district code of the configured municipality"
        ),
    ] = None,
    limit: Annotated[int, Query(ge=1, le=2000)] = 100,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
) -> DwellingPage:
    """List registered dwellings by ref, optionally of one category or school district."""
    with services.reads.reading() as tx:
        total, items = list_dwellings(
            tx, services.today().isoformat(), category, district, limit, offset
        )
    return DwellingPage(items=items, total=total, limit=limit, offset=offset)


@router.get("/{ref}", responses=errors(403, 404, 422))
def get_dwelling(
    services: FreshServices,
    user: DwellingReader,
    ref: Annotated[str, Path(pattern=REF_REGEX, examples=["B-0984"], description=REF_RULE)],
) -> DwellingOut:
    """One dwelling: category, district, rooms, address, and whether it is occupied today."""
    with services.reads.reading() as tx:
        found = one_dwelling(tx, services.today().isoformat(), ref)
    dwelling = services.app.get_dwelling(ref)
    if found is None or dwelling is None:
        raise NotFound()
    return found.model_copy(update={"address": dwelling.registered.fields.get("address")})
