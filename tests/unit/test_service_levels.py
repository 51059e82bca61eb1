"""The processing target counts business days (Monday to Friday) since arrival."""

from __future__ import annotations

from datetime import date

import pytest

from boomerang.domain.service_levels import TargetState, business_days_between, target_state

FRIDAY = date(2026, 11, 27)


@pytest.mark.parametrize(
    ("end", "days"),
    [
        (date(2026, 11, 27), 0),  # same day
        (date(2026, 11, 28), 0),  # Saturday
        (date(2026, 11, 29), 0),  # Sunday
        (date(2026, 11, 30), 1),  # Monday
        (date(2026, 12, 4), 5),  # next Friday
        (date(2026, 12, 11), 10),  # two weeks
        (date(2026, 12, 14), 11),
        (date(2026, 11, 20), 0),  # before the start
    ],
)
def test_business_days_skip_weekends(end: date, days: int) -> None:
    assert business_days_between(FRIDAY, end) == days


def test_a_return_arriving_on_a_saturday_starts_counting_on_monday() -> None:
    assert business_days_between(date(2026, 11, 28), date(2026, 11, 30)) == 1


@pytest.mark.parametrize(
    ("age", "state"),
    [
        (0, TargetState.OnTrack),
        (7, TargetState.OnTrack),
        (8, TargetState.NearTarget),
        (10, TargetState.NearTarget),
        (11, TargetState.PastTarget),
    ],
)
def test_near_from_eight_business_days_and_past_after_ten(age: int, state: TargetState) -> None:
    assert target_state(age) is state
