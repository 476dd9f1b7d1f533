"""Users (admins only); users are added with `boligspor user add`, which shows the token once."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter

from api.dependencies import Admin, ServicesDep
from api.models import UserOut
from api.responses import errors

router = APIRouter(prefix="/api/users", tags=["brukere"])


@router.get("", responses=errors(403))
def get_users(services: ServicesDep, user: Admin) -> list[UserOut]:
    """Every user with role and team (tokens are never shown)."""
    return [
        UserOut(
            name=u.name,
            role=u.role.value,
            team=u.team,
            created_at=datetime.fromisoformat(u.created_at),
        )
        for u in services.users.all()
    ]
