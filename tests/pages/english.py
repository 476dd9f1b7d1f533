"""A check for English in what a person reads: the visible text of a page (and the texts a
screen reader reads out: titles, labels, placeholders, alternative texts), a CSV's header,
a workbook's cells.

    from tests.pages.english import assert_no_english, english_in
    assert_no_english(response.text, where="/app/mine as hanne")

`english_in(html)` lists the offending words: common English words (a list of words that are
not also Norwegian: «by», «for», «team», «start», «plan», «status», «person», «type», «post»,
«all», «null», «must» are left out) and internal
codes that leaked (snake_case such as `municipal_rental`, CamelCase event types such as
`FollowUpLogged`). Names, codes and proper nouns of the domain (KOSTRA, NAV, Housing First,
Built for Zero's by-name list, Boligspor) are allowed. Usable by any test: pages, story tests
in the browser (pass `page.content()`), downloads.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from html.parser import HTMLParser

# Common English words a page, a message or a file header of Boligspor must not show; none of
# them is a Norwegian word as well.
WORDS = """
    the and of with from this that these those which what when where who why how are was were
    has have had been being does did cannot can't don't isn't your you our their there here
    please yes true false none click submit save cancel delete edit search back next previous
    page pages error errors found unknown required should could would exist exists missing case
    cases user users role roles caseworker leader field admin report reports figures waiting
    list dwelling dwellings stay stays settled settlement application decision appeal complaint
    complaints follow history timeline access read reads reason date today login logout sign
    password name open closed close ended new old download file loading show hide less only also
    other others internal forbidden method allowed request details message route get home visit
    phone approved rejected pending municipal rental tenure priority urgent high hotel household
    children adults people group situation lease renewed moved out withdrawn reopened retracted
    registered retired concern enrolled event events value values key keys table row column
    count counted month months year years week days day since until
"""
ENGLISH_WORDS = frozenset(WORDS.split())
# Proper nouns, programme names and codes a Norwegian page uses as they are.
ALLOWED_PHRASES = ("Housing First", "Built for Zero", "By-name", "by-name")
ALLOWED_WORDS = frozenset({"KOSTRA", "NAV", "Boligspor", "ID", "CSV", "HTML", "API"})
SNAKE_CASE = re.compile(r"\b[a-z]+(?:_[a-z0-9]+)+\b")
CAMEL_CASE = re.compile(r"\b[A-Z][a-z]+(?:[A-Z][a-z]+)+\b")
WORD = re.compile(r"[A-Za-z][A-Za-z']*")
READ_OUT = ("title", "aria-label", "placeholder", "alt", "aria-description")
HIDDEN = ("script", "style", "template")


class _Visible(HTMLParser):
    """The text of a page a person sees or hears read out."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in HIDDEN:
            self.hidden += 1
        values = dict(attrs)
        for name in READ_OUT:
            if values.get(name):
                self.parts.append(str(values[name]))
        if tag == "input" and values.get("type") in ("submit", "button") and values.get("value"):
            self.parts.append(str(values["value"]))

    def handle_endtag(self, tag: str) -> None:
        if tag in HIDDEN and self.hidden:
            self.hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.parts.append(data)


def visible_text(html: str) -> str:
    """The visible text of an HTML page (or fragment), the read-out attributes included."""
    parser = _Visible()
    parser.feed(html)
    parser.close()
    return "\n".join(parser.parts)


def english_words(text: str, allowed: Iterable[str] = ()) -> list[str]:
    """The English words and internal codes in a plain text, in the order they stand."""
    for phrase in ALLOWED_PHRASES:
        text = text.replace(phrase, " ")
    also = set(allowed)
    found = [m.group(0) for m in SNAKE_CASE.finditer(text) if m.group(0) not in also]
    found += [m.group(0) for m in CAMEL_CASE.finditer(text) if m.group(0) not in also]
    for match in WORD.finditer(SNAKE_CASE.sub(" ", text)):
        word = match.group(0)
        if word in ALLOWED_WORDS or word in also:
            continue
        if word.lower() in ENGLISH_WORDS:
            found.append(word)
    return found


def english_in(html: str, allowed: Iterable[str] = ()) -> list[str]:
    """The English words and internal codes in the visible text of a page."""
    return english_words(visible_text(html), allowed)


def assert_no_english(html: str, where: str = "", allowed: Iterable[str] = ()) -> None:
    """Fail, naming the words and where, when a page shows English or an internal code."""
    found = english_in(html, allowed)
    assert not found, f"English on {where or 'the page'}: {sorted(set(found))}"


def assert_no_english_text(text: str, where: str = "", allowed: Iterable[str] = ()) -> None:
    """The same check for a plain text (a CSV header, a workbook's cells, a message)."""
    found = english_words(text, allowed)
    assert not found, f"English in {where or 'the text'}: {sorted(set(found))}"
