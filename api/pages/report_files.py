"""Report files the pages serve: a workbook or CSV to download, or the self-contained HTML
report shown in the browser under a policy that lets nothing but its own style apply."""

from __future__ import annotations

from starlette.responses import Response

from projections.formats.html_page import STYLE_HASH

FILES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
    "html": "text/html; charset=utf-8",
}
REPORT_POLICY = (
    f"default-src 'none'; style-src '{STYLE_HASH}'; img-src data:; base-uri 'none';"
    " form-action 'none'; frame-ancestors 'none'"
)
"""The served HTML report's policy: its inline ``<style>`` is allowed by its hash, nothing
else (no script, no outside resource); its charts are inline SVG with presentation
attributes, which the policy does not block."""


def report_file(body: str | bytes, fmt: str, stem: str) -> Response:
    """A report file: an xlsx (or csv) to download, or an HTML report shown in the browser
    under a policy that lets only its own style apply."""
    data = body if isinstance(body, bytes) else body.encode("utf-8")
    if fmt == "html":
        return Response(
            data,
            media_type=FILES["html"],
            headers={
                "Content-Security-Policy": REPORT_POLICY,
                "Content-Disposition": f'inline; filename="{stem}.html"',
                "Cache-Control": "no-store",
            },
        )
    return Response(
        data,
        media_type=FILES[fmt],
        headers={"Content-Disposition": f'attachment; filename="{stem}.{fmt}"'},
    )
