"""Hypothesis settings for the reliability fuzzers: bounded in `make test`, many more examples with
BOOMERANG_LONG_TESTS=1."""

from __future__ import annotations

import os
from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

LONG = os.environ.get("BOOMERANG_LONG_TESTS") == "1"


def fuzz_settings(normal: int, long: int) -> Any:
    return settings(
        max_examples=long if LONG else normal,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        derandomize=not LONG,
        database=None,
    )


# Any JSON document, including deep, wide and oddly typed ones.
json_scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**30), max_value=10**30)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=300)
)
json_documents = st.recursive(
    json_scalars,
    lambda children: st.lists(children, max_size=5) | st.dictionaries(st.text(max_size=20), children, max_size=6),
    max_leaves=30,
)
