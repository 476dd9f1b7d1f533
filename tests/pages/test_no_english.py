"""No English word reaches a person: every page each role reaches from the start page, the error
pages, the access log page and the downloads' headers (tests/pages/english.py is the check)."""

from __future__ import annotations

import csv
import io
import re
from collections import deque

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from openpyxl import load_workbook

from api.pages.texts import CATALOGUES as PAGE_TEXTS
from projections.labels import CATALOGUES as LABELS
from tests.pages.conftest import USERS, Moss, Pages
from tests.pages.english import assert_no_english, assert_no_english_text, english_in

PLACEHOLDER = re.compile(r"\{[a-z_]+\}")
LINK = re.compile(r'href="(/app/[^"#]*)"')
DOWNLOAD = re.compile(r"\.(xlsx|csv|html)(\?|$)")
CASE_PAGE = re.compile(r"^/app/saker/[^/?]+$")
CASE_PAGES_PER_ROLE = 3
SKIPPED = ("/app/logg-ut", "/app/static/", "/app/oidc")


def reachable(pages: Pages) -> dict[str, str]:
    """Every page a signed-in user reaches by following links from the start page (a few case
    pages of the many), path -> page text; downloads left out."""
    seen: dict[str, str] = {}
    queue = deque(["/app/"])
    cases = 0
    while queue:
        path = queue.popleft().replace("&amp;", "&")
        key = path.split("?")[0]
        if key in seen or any(path.startswith(s) for s in SKIPPED) or DOWNLOAD.search(path):
            continue
        if CASE_PAGE.match(key):
            if cases >= CASE_PAGES_PER_ROLE:
                continue
            cases += 1
        answer = pages.client.get(path)
        while answer.status_code in (302, 303, 307):
            answer = pages.client.get(answer.headers["location"])
        seen[key] = answer.text
        queue.extend(LINK.findall(answer.text))
    return seen


@pytest.mark.parametrize("name", sorted(USERS))
def test_every_page_a_role_reaches_is_in_norwegian(pages: Pages, name: str) -> None:
    pages.sign_in(name)
    found = reachable(pages)
    assert len(found) >= 3, sorted(found)
    for path, html in found.items():
        assert_no_english(html, where=f"{path} as {name} ({USERS[name][0]})")


def test_the_login_page_is_in_norwegian(pages: Pages) -> None:
    assert_no_english(pages.client.get("/app/logg-inn").text, where="/app/logg-inn")


def test_error_pages_are_pages_in_norwegian(pages: Pages, app: FastAPI) -> None:
    missing = pages.client.get("/app/finnes-ikke")
    assert missing.status_code == 404
    assert missing.headers["content-type"].startswith("text/html")
    assert "Finnes ikke." in missing.text
    assert_no_english(missing.text, where="404")
    wrong_method = pages.client.post("/app/mine")
    assert wrong_method.status_code in (403, 405)
    assert_no_english(wrong_method.text, where="POST /app/mine")
    pages.sign_in("hanne")
    forbidden = pages.client.get("/app/innsynslogg")
    assert forbidden.status_code == 403
    assert_no_english(forbidden.text, where="403")
    bad_date = pages.client.get("/app/venteliste?dato=ikke-en-dato")
    assert 400 <= bad_date.status_code < 500
    assert_no_english(bad_date.text, where="a bad date")
    pages.sign_in("anne")
    refused = pages.client.post(
        "/app/brukere", data={"csrf": "feil", "name": "x", "role": "leader"}
    )
    assert refused.status_code == 403
    assert "Skjemaet var utløpt eller ugyldig" in refused.text
    assert_no_english(refused.text, where="a wrong CSRF token")


def test_an_unexpected_fault_on_a_page_is_a_norwegian_page(moss: Moss, app: FastAPI) -> None:
    def broken() -> None:
        raise RuntimeError("a fault nobody expected")

    app.add_api_route("/app/test-feil", broken, include_in_schema=False)
    client = TestClient(app, raise_server_exceptions=False)
    answer = client.get("/app/test-feil")
    assert answer.status_code == 500
    assert answer.headers["content-type"].startswith("text/html")
    assert "Noe gikk galt hos oss" in answer.text
    assert "a fault nobody expected" not in answer.text
    assert_no_english(answer.text, where="500")
    api = client.get("/api/finnes-ikke")
    assert api.headers["content-type"] == "application/json"


def test_the_access_log_page_names_roles_and_reads_in_words(pages: Pages) -> None:
    pages.sign_in("kari")
    case = re.search(r'href="/app/saker/([^"?]+)"', pages.client.get("/app/mine").text)
    assert case is not None
    assert pages.client.get(f"/app/saker/{case.group(1)}").status_code == 200
    pages.sign_in("anne")
    html = pages.client.get("/app/innsynslogg").text
    assert "Saksbehandler" in html and "Saken på sidene" in html
    assert "caseworker" not in html and "GET /app" not in html
    assert english_in(html) == []


def test_the_downloads_headers_and_sheets_are_in_norwegian(pages: Pages) -> None:
    pages.sign_in("leif")
    offered = pages.client.get("/app/tall").text + pages.client.get("/app/plan").text
    links = sorted(set(re.findall(r'href="(/app/(?:tall|plan)/[^"]+\.(?:csv|xlsx|html))', offered)))
    assert {link.rsplit(".", 1)[-1] for link in links} == {"csv", "xlsx", "html"}, links
    for link in links:
        answer = pages.client.get(link.replace("&amp;", "&"))
        assert answer.status_code == 200, link
        if link.endswith(".csv"):
            rows = list(csv.reader(io.StringIO(answer.content.decode("utf-8-sig")), delimiter=";"))
            assert_no_english_text(" ".join(rows[0]), where=f"{link} header")
            # Table, row, column and value; the fifth column is the figure's key in FIGURES.md.
            shown = " ".join(" ".join(row[:4]) for row in rows[1:])
            assert_no_english_text(shown, where=f"{link} rows")
        elif link.endswith(".html"):
            assert_no_english(answer.text, where=link)
        else:
            book = load_workbook(io.BytesIO(answer.content))
            for sheet in book.worksheets:
                assert_no_english_text(sheet.title, where=f"{link} sheet name")
                cells = " ".join(
                    str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None
                )
                assert_no_english_text(cells, where=f"{link} sheet {sheet.title}")


@pytest.mark.parametrize("catalogue", ["page texts", "labels"])
def test_every_text_of_the_catalogues_is_norwegian(catalogue: str) -> None:
    texts = (PAGE_TEXTS if catalogue == "page texts" else LABELS)["nb"]
    for key, value in texts.items():
        assert_no_english_text(PLACEHOLDER.sub(" ", value), where=f"{catalogue} {key}")
