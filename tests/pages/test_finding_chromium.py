"""Without a browser the browser tests fail loudly; they skip only when told to, and say so."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.pages.conftest import find_chromium, require_chromium


def no_browser_anywhere(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BOLIGSPOR_CHROMIUM", "/nonexistent/chromium")
    monkeypatch.delenv("BOLIGSPOR_SKIP_BROWSER", raising=False)


def test_the_browser_tests_fail_when_no_chromium_is_found(monkeypatch: pytest.MonkeyPatch) -> None:
    no_browser_anywhere(monkeypatch)
    with pytest.raises(pytest.fail.Exception, match="BOLIGSPOR_SKIP_BROWSER=1 to skip"):
        require_chromium()


def test_they_skip_loudly_only_when_the_switch_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    no_browser_anywhere(monkeypatch)
    monkeypatch.setenv("BOLIGSPOR_SKIP_BROWSER", "1")
    with pytest.raises(pytest.skip.Exception, match="SKIPPING BROWSER TESTS"):
        require_chromium()


def test_the_chromium_named_by_the_setting_is_the_one_driven(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    browser = tmp_path / "chromium-browser"
    browser.write_text("#!/bin/sh\n")
    browser.chmod(0o755)
    monkeypatch.setenv("BOLIGSPOR_CHROMIUM", str(browser))
    assert find_chromium()[0] == str(browser)
    assert require_chromium() == str(browser)
