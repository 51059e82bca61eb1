"""Reference ids (the RMA on the package): 8 to 50 of letters, digits, '-' and '_'."""

from __future__ import annotations

import pytest

from boomerang.domain.errors import ValidationFailed
from boomerang.domain.return_rules import reference_id_is_valid, validate_reference_id


@pytest.mark.parametrize(
    "reference_id",
    ["A" * 8, "a" * 50, "RMA-2026_0001", "12345678", "abc-DEF_123", "--------", "________"],
)
def test_valid_reference_ids_are_accepted(reference_id: str) -> None:
    assert reference_id_is_valid(reference_id)
    validate_reference_id(reference_id)


@pytest.mark.parametrize(
    "reference_id",
    [
        "",
        "A" * 7,
        "a" * 51,
        "RMA 00001",
        "RMA.00001",
        "RMA/00001",
        "RMA#00001",
        "RMA-0001é",
        "RMA-00001\n",
        "\nRMA-00001",
        " RMA-00001",
        "RMA-00001 ",
        "\uff32\uff2d\uff21-00001",
        "RMA-0001٣",
    ],
)
def test_invalid_reference_ids_are_refused_with_a_field_error(reference_id: str) -> None:
    assert not reference_id_is_valid(reference_id)
    with pytest.raises(ValidationFailed) as raised:
        validate_reference_id(reference_id)
    assert [d.field for d in raised.value.details] == ["reference_id"]
