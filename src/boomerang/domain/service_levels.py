"""How long an arrived return may wait: the 10-business-day processing target, counted Monday to Friday."""

from __future__ import annotations

from datetime import date, timedelta
from enum import StrEnum

PROCESSING_TARGET_BUSINESS_DAYS = 10
# From this age on the queue warns: two business days before the target is missed.
NEAR_TARGET_BUSINESS_DAYS = 8


class TargetState(StrEnum):
    OnTrack = "OnTrack"
    NearTarget = "NearTarget"
    PastTarget = "PastTarget"


def business_days_between(start: date, end: date) -> int:
    """Weekdays after `start` up to and including `end` (0 on the day itself, and for end before start)."""
    if end <= start:
        return 0
    whole_weeks, extra = divmod((end - start).days, 7)
    days = whole_weeks * 5
    for offset in range(1, extra + 1):
        if (start + timedelta(days=offset)).weekday() < 5:
            days += 1
    return days


def target_state(age_business_days: int) -> TargetState:
    """Past the target once more than 10 business days have gone by; near it from day 8."""
    if age_business_days > PROCESSING_TARGET_BUSINESS_DAYS:
        return TargetState.PastTarget
    if age_business_days >= NEAR_TARGET_BUSINESS_DAYS:
        return TargetState.NearTarget
    return TargetState.OnTrack
