"""Bodies of the users' admin routes (the user itself is `api.models.UserOut`)."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field


class NewUser(BaseModel):
    """A user to add: a field user needs a team, the other roles have none."""

    name: str = Field(examples=["kari.nordmann"], max_length=64)
    role: str = Field(examples=["caseworker"], description="field, caseworker, leader or admin")
    team: str | None = Field(None, examples=[None], description="only for the role field")


class UserUpdate(BaseModel):
    """The role and team a user is to have from now on."""

    role: str = Field(examples=["field"])
    team: str | None = Field(None, examples=["caretaker"])


class IssuedToken(BaseModel):
    """A token, shown only in this answer; the store keeps only its hash."""

    name: str
    token: str = Field(description="`Authorization: Bearer <token>`; shown only now")


class UserChangeOut(BaseModel):
    """One change of a user: who made it, through what, and from what to what."""

    at: datetime
    by: str
    via: str = Field(examples=["api"], description="api, page, cli or system")
    user: str
    change: str = Field(
        examples=["deactivated"],
        description="added, changed, deactivated, reactivated or token_rotated",
    )
    detail: str | None = Field(None, examples=["rolle field → caseworker, team caretaker → -"])
