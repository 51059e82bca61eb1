"""Password hashes cost what production needs; the cheap profile the tests use cannot reach production."""

from __future__ import annotations

import pytest
from argon2 import extract_parameters, profiles
from pydantic import ValidationError

from boomerang.config import Settings
from boomerang.services.passwords import dummy_hash, hash_password, verify_password

PRODUCTION = {"environment": "production", "secret_key": "s" * 40}


def test_production_settings_hash_passwords_at_argon2s_rfc_9106_low_memory_cost() -> None:
    settings = Settings(**PRODUCTION)
    for stored in (hash_password("correct-horse-battery", settings), dummy_hash(settings)):
        cost = extract_parameters(stored)
        assert (cost.time_cost, cost.memory_cost, cost.parallelism) == (3, 65536, 4)
        assert cost == profiles.RFC_9106_LOW_MEMORY


def test_the_cheap_profile_of_the_tests_is_refused_outside_development() -> None:
    with pytest.raises(ValidationError, match="CHEAPEST is for tests"):
        Settings(**PRODUCTION, password_hash_profile="CHEAPEST")


def test_a_hash_is_verified_at_the_cost_written_in_it() -> None:
    cheap = hash_password("correct-horse-battery", Settings(password_hash_profile="CHEAPEST"))
    assert extract_parameters(cheap).memory_cost == profiles.CHEAPEST.memory_cost
    assert verify_password(cheap, "correct-horse-battery")
    assert not verify_password(cheap, "wrong-horse-battery")
    assert not verify_password(dummy_hash(Settings()), "correct-horse-battery")
