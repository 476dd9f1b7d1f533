"""Day spans and medians, the building blocks of every figure."""

from __future__ import annotations

from collections import Counter

from hypothesis import given
from hypothesis import strategies as st

from projections.history import END_OF_TIME, Span, lower_median, lower_median_of_counts, spans


@given(st.lists(st.integers(min_value=0, max_value=5000), max_size=60))
def test_the_median_of_counted_values_equals_the_median_of_the_values_listed(
    values: list[int],
) -> None:
    assert lower_median_of_counts(list(Counter(values).items())) == lower_median(values)


def test_the_state_on_a_day_is_the_one_after_that_days_last_event() -> None:
    states = [("2023-01-01", "a"), ("2023-01-05", "b"), ("2023-01-05", "c"), ("2023-01-09", None)]

    assert spans(states) == [
        Span("2023-01-01", "2023-01-05", "a"),
        Span("2023-01-05", "2023-01-09", "c"),
    ]


def test_a_state_that_begins_and_ends_on_one_day_holds_no_day_and_equal_neighbours_merge() -> None:
    states = [("2023-01-01", "a"), ("2023-01-03", None), ("2023-01-03", "a"), ("2023-01-04", "a")]

    assert spans(states) == [Span("2023-01-01", END_OF_TIME, "a")]
