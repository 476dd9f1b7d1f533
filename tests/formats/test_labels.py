"""The label catalogue covers every code and every report figure, and fails loudly."""

from __future__ import annotations

import warnings
from typing import Any

import pytest

from domain import values
from domain.municipality import MOSS
from projections import labels
from tests.formats.conftest import sample_reports

VALUE_SETS = {
    "group": values.GROUPS,
    "situation": values.SITUATIONS,
    "category": values.CATEGORIES,
    "team": values.TEAMS,
    "priority": values.PRIORITIES,
    "decision": values.DECISIONS,
    "appeal_outcome": values.APPEAL_OUTCOMES,
    "stay_kind": values.STAY_KINDS,
    "tenure": values.TENURES,
    "move_out_reason": values.MOVE_OUT_REASONS,
    "complaint_category": values.COMPLAINT_CATEGORIES,
    "complaint_source": values.COMPLAINT_SOURCES,
    "complaint_outcome": values.COMPLAINT_OUTCOMES,
    "follow_up_kind": values.FOLLOW_UP_KINDS,
    "concern_recipient": values.CONCERN_RECIPIENTS,
    "housing_first_end_reason": values.HOUSING_FIRST_END_REASONS,
    "withdrawal_reason": values.WITHDRAWAL_REASONS,
    "retirement_reason": values.RETIREMENT_REASONS,
    "event": values.EVENT_TYPES,
}


def _figure_paths(node: Any, path: str = "") -> set[str]:
    found = {path} if path else set()
    if isinstance(node, dict):
        for key, value in node.items():
            found |= _figure_paths(value, f"{path}.{key}" if path else key)
    elif isinstance(node, list):
        for item in node:
            found |= _figure_paths(item, path)
    return found


@pytest.mark.parametrize("value_set", sorted(VALUE_SETS))
def test_every_code_of_every_value_set_has_a_norwegian_label(value_set: str) -> None:
    for code in VALUE_SETS[value_set]:
        assert labels.code_label(value_set, code).strip()


def test_the_event_labels_follow_the_catalogue_wording() -> None:
    assert labels.code_label("event", "FollowUpLogged") == "Oppfølging registrert"
    assert labels.code_label("district", "unknown") == "Ukjent"
    assert labels.label("waiting_list.median_days_waiting") == "Median ventetid (dager)"


def test_every_figure_of_every_sample_report_has_a_label() -> None:
    for _name, _kind, report in sample_reports():
        for path in _figure_paths(report):
            block, _, code = path.rpartition(".")
            if labels.DIMENSIONS.get(block) == "district" and code != "unknown":
                assert MOSS.district_names[code]  # the names are the municipality's
            elif block in labels.DIMENSIONS:
                assert labels.entry_label(block, code)
            elif block.rpartition(".")[0] in labels.DIMENSIONS:
                parent, _, entry = block.rpartition(".")
                if labels.DIMENSIONS[parent] == "district":
                    assert MOSS.district_names[entry]
                assert labels.label(f"{block.rpartition('.')[0]}.{code}")
            else:
                assert labels.label(path)


def test_a_key_missing_from_the_default_language_is_an_error() -> None:
    with pytest.raises(labels.MissingLabelError):
        labels.label("waiting_list.no_such_figure")


def test_a_language_without_the_key_falls_back_to_bokmal_with_a_warning(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(labels.CATALOGUES, "en", {"word.total": "Total"})
    assert labels.label("word.total", "en") == "Total"
    with pytest.warns(labels.MissingLabelWarning):
        assert labels.label("group.families", "en") == "Barnefamilier"
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert labels.label("group.families") == "Barnefamilier"
