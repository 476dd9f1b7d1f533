"""Users over their whole life (admins only): add, change role and team, deactivate and
reactivate, rotate a token, and every change made, by whom and when."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter, Query, Response

from api.dependencies import Admin, ServicesDep
from api.models import UserOut
from api.responses import errors
from api.user_changes import UserChange, UserChanges
from api.user_models import IssuedToken, NewUser, UserChangeOut, UserUpdate
from api.users import Actor, User

router = APIRouter(prefix="/api/users", tags=["brukere"])


def _out(user: User) -> UserOut:
    return UserOut(
        name=user.name,
        role=user.role.value,
        team=user.team,
        created_at=datetime.fromisoformat(user.created_at),
        active=user.active,
    )


def _change_out(change: UserChange) -> UserChangeOut:
    return UserChangeOut(
        at=datetime.fromisoformat(change.at),
        by=change.by,
        via=change.via,
        user=change.user,
        change=change.change,
        detail=change.detail,
    )


def _actor(admin: User) -> Actor:
    return Actor(admin.name, "api")


@router.get("", responses=errors(403))
def get_users(services: ServicesDep, user: Admin) -> list[UserOut]:
    """Every user with role, team and whether active (tokens are never shown)."""
    return [_out(u) for u in services.users.all()]


@router.post("", status_code=201, responses=errors(403, 422))
def add_user(services: ServicesDep, admin: Admin, body: NewUser) -> IssuedToken:
    """Add a user; the answer holds the token, shown this once."""
    user, token = services.users.add(
        body.name, body.role, body.team, now=services.now(), by=_actor(admin)
    )
    return IssuedToken(name=user.name, token=token)


@router.get("/changes", responses=errors(403))
def get_user_changes(
    services: ServicesDep,
    admin: Admin,
    user: str | None = Query(None, description="only the changes of this user"),
    limit: int = Query(1000, ge=1, le=10_000),
) -> list[UserChangeOut]:
    """Every change of users, newest first: who changed whom, what, when and through what."""
    return [_change_out(c) for c in UserChanges(services.app.sql).entries(user, limit)]


@router.patch("/{name}", responses=errors(403, 404, 422))
def change_user(services: ServicesDep, admin: Admin, name: str, body: UserUpdate) -> UserOut:
    """Give the user another role or team; it applies from their next request."""
    return _out(
        services.users.change(
            name, role=body.role, team=body.team, now=services.now(), by=_actor(admin)
        )
    )


@router.post("/{name}/deactivate", status_code=204, responses=errors(403, 404, 422))
def deactivate_user(services: ServicesDep, admin: Admin, name: str) -> Response:
    """Take the user's access away: their token and web sessions stop working at once, in
    every process."""
    services.users.deactivate(name, now=services.now(), by=_actor(admin))
    return Response(status_code=204)


@router.post("/{name}/reactivate", status_code=204, responses=errors(403, 404, 422))
def reactivate_user(services: ServicesDep, admin: Admin, name: str) -> Response:
    """Give a deactivated user access again, with the token they had."""
    services.users.reactivate(name, now=services.now(), by=_actor(admin))
    return Response(status_code=204)


@router.post("/{name}/token", status_code=201, responses=errors(403, 404))
def rotate_token(services: ServicesDep, admin: Admin, name: str) -> IssuedToken:
    """A new token for the user, shown this once; the old one and their sessions end."""
    token = services.users.rotate_token(name, now=services.now(), by=_actor(admin))
    return IssuedToken(name=name, token=token)
