"""The watch list's open alerts (raised daily by `boligspor worker`)."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel, Field

from api import case_access
from api.dependencies import CaseReader, FreshServices
from api.responses import errors
from api.users import Permission

router = APIRouter(prefix="/api", tags=["varsler"])


class AlertOut(BaseModel):
    """An open alert: a condition on a case that someone should look at."""

    id: str = Field(examples=["stay-90:S-00012:t1"])
    kind: str = Field(examples=["stay-90"])
    case: str = Field(examples=["S-00012"])
    teams: list[str] = Field(examples=[["housing_first"]])
    raised_on: str = Field(examples=["2023-08-14"])
    raised_at: str
    cleared_at: str | None = None


@router.get("/alerts", responses=errors(403))
def get_alerts(services: FreshServices, user: CaseReader) -> list[AlertOut]:
    """Open alerts: a field user's team's only; restricted cases only for admins."""
    team = None if user.may(Permission.READ_CASES) else user.team
    hidden = case_access.hidden_cases(services, user)
    return [
        AlertOut.model_validate(alert.to_json())
        for alert in services.reads.open_alerts(team)
        if alert.case_ref not in hidden
    ]
