"""The plan page: the housing plan's targets, each year's actual figure against the straight
path to the target, with a chart per target and downloads (xlsx, html)."""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter, Request
from markupsafe import Markup
from starlette.responses import Response

from api.pages.deps import SignedIn, State, Viewer
from api.pages.report_files import report_file
from api.pages.state import PageForbidden, PageNotFound, render
from api.users import Permission
from projections.formats.front_matter import definitions, municipality_line
from projections.formats.html_page import charts_for_specs, table_html
from projections.formats.plan_tables import (
    overview_table,
    plan_heading,
    plan_municipality,
    plan_specs,
    render_plan,
)
from projections.plan_progress import plan_progress

router = APIRouter()


def plan_figures(state: Any, today: date) -> dict[str, Any]:
    """The plan's progress (`projections.plan_progress.plan_progress`) for the municipality."""
    state.refresh()
    with state.services.reads.store() as store:
        return plan_progress(store, state.services.app.municipality, today)


def _require(viewer: Viewer) -> None:
    """Leaders (who read the reports) and admins."""
    if not (viewer.may(Permission.READ_REPORTS) or viewer.may(Permission.MANAGE_USERS)):
        raise PageForbidden()


@router.get("/plan", summary="The housing plan's targets year by year")
def plan_page(request: Request, state: State, viewer: SignedIn) -> Response:
    """Each target's base, goal, every year's actual figure and path, and its chart."""
    _require(viewer)
    plan = plan_figures(state, state.today())
    overview = overview_table(plan)
    charts = charts_for_specs(plan_specs(plan))
    context = {
        "viewer": viewer,
        "csrf": viewer.session.csrf,
        "heading": plan_heading(plan),
        "place": municipality_line(plan_municipality(plan)),
        "overview": Markup(table_html(overview)),  # noqa: S704 (escaped by table_html)
        "charts": [Markup(figure) for figure, _ in charts],  # noqa: S704 (escaped)
        "definitions": definitions([overview]),
        "active": "plan",
    }
    return render(request, "plan.html", context)


@router.get("/plan/boligplan.{fmt}", summary="Download the plan's progress as xlsx or html")
def plan_file(state: State, viewer: SignedIn, fmt: str) -> Response:
    """The plan as a workbook (charts included) or as the self-contained HTML report."""
    _require(viewer)
    if fmt not in ("xlsx", "html"):
        raise PageNotFound()
    today = state.today()
    body = render_plan(plan_figures(state, today), fmt, made_on=today)
    return report_file(body, fmt, f"boligplan-{today.isoformat()}")
