"""The dependencies routes declare: the services, the signed-in user, permissions, the body."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Annotated, Any
from urllib.parse import unquote

from fastapi import Depends, Header, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from api.access_log import REASON_MAX, acceptable_reason
from api.errors import Forbidden, InvalidRequest, Unauthenticated
from api.services import Services
from api.users import Permission, User

# Far beyond any list; an unbounded offset reached SQLite's 64-bit integers and answered 500.
MAX_OFFSET = 1_000_000_000

bearer = HTTPBearer(
    auto_error=False,
    description="The token `boligspor user add` printed, sent as `Authorization: Bearer …`",
)


# Dependencies that do no I/O are `async def`: FastAPI runs a plain `def` one in a worker
# thread, a hand-over that costs more on the event loop than what they do.


async def get_services(request: Request) -> Services:
    services: Services = request.app.state.services
    return services


ServicesDep = Annotated[Services, Depends(get_services)]


def current_user(
    request: Request,
    services: ServicesDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> User:
    """The user the bearer token belongs to; 401 without a valid one."""
    if credentials is None:
        raise Unauthenticated()
    user = services.users.authenticate(credentials.credentials)
    if user is None:
        raise Unauthenticated()
    request.state.user = user.name
    return user


CurrentUser = Annotated[User, Depends(current_user)]


def requires(*any_of: Permission) -> Callable[[User], Coroutine[Any, Any, User]]:
    """A dependency that lets through users holding at least one of the permissions."""

    async def check(user: CurrentUser) -> User:
        if not any(user.may(permission) for permission in any_of):
            raise Forbidden()
        return user

    return check


Writer = Annotated[
    User,
    Depends(
        requires(
            Permission.WRITE_CASE_EVENTS,
            Permission.WRITE_FIELD_EVENTS,
            Permission.WRITE_RESTRICTED_CASES,
        )
    ),
]
CaseReader = Annotated[User, Depends(requires(Permission.READ_CASES, Permission.READ_TEAM_CASES))]
ReportReader = Annotated[User, Depends(requires(Permission.READ_REPORTS))]
DwellingReader = Annotated[User, Depends(requires(Permission.READ_DWELLINGS))]
WaitingListReader = Annotated[User, Depends(requires(Permission.READ_WAITING_LIST))]
AccessLogReader = Annotated[User, Depends(requires(Permission.READ_ACCESS_LOG))]
Auditor = Annotated[User, Depends(requires(Permission.AUDIT_ACCESS_LOG))]
Admin = Annotated[User, Depends(requires(Permission.MANAGE_USERS))]
Eraser = Annotated[User, Depends(requires(Permission.ERASE_CASES))]


async def raw_body(request: Request) -> str:
    """The request body as text, unparsed: the event rules judge it as the import does."""
    data = await request.body()
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise InvalidRequest() from None


RawBody = Annotated[str, Depends(raw_body)]
ReasonHeader = Annotated[
    str | None,
    Header(
        alias="X-Access-Reason",
        max_length=REASON_MAX,
        pattern=r"^[^\x00-\x1f\x7f]*$",
        description="why the case is read, kept in the access log; percent-encoded UTF-8"
        " (e.g. `hjemmebes%C3%B8k`), at most 200 characters as sent, no control characters"
        " (also not percent-encoded) and no"
        " phone number or national id (8+ digits in a row). Required (at least 5 letters"
        " or digits) for a field user reading a case outside their team: such a read is"
        " flagged in the access log",
    ),
]


async def access_reason(reason: ReasonHeader = None) -> str | None:
    """The decoded, trimmed reason for reading a case; None when none (or only blanks) was
    given. More than REASON_MAX characters, control characters and numbers that look like a
    phone number or national id are refused (`api.access_log.acceptable_reason`)."""
    if reason is None:
        return None
    try:
        decoded = unquote(reason, errors="strict").strip()
    except UnicodeDecodeError:
        raise InvalidRequest() from None
    if not acceptable_reason(decoded):
        raise InvalidRequest()
    return decoded or None


AccessReason = Annotated[str | None, Depends(access_reason)]


def fresh_services(services: ServicesDep) -> Services:
    """The services, with read models caught up on whatever another process stored."""
    services.reads.refresh(services.app)
    return services


FreshServices = Annotated[Services, Depends(fresh_services)]
